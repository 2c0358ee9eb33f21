import { PageHeader, Unavailable } from '../../components/ui';

export function PlaygroundScreen() {
  return (
    <div>
      <PageHeader title="Playground" />
      <Unavailable
        feature="Playground"
        reason="This part of the app arrives with its core feature."
      />
    </div>
  );
}
