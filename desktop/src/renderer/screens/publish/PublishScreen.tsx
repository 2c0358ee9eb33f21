import { PageHeader, Unavailable } from '../../components/ui';

export function PublishScreen() {
  return (
    <div>
      <PageHeader title="Publish" />
      <Unavailable feature="Publish" reason="This part of the app arrives with its core feature." />
    </div>
  );
}
