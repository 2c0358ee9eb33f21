import { PageHeader, Unavailable } from '../../components/ui';

export function ProgramsScreen() {
  return (
    <div>
      <PageHeader title="Programs" />
      <Unavailable
        feature="Programs"
        reason="This part of the app arrives with its core feature."
      />
    </div>
  );
}
