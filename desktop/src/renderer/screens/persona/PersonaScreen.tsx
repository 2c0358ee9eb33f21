import { PageHeader, Unavailable } from '../../components/ui';

export function PersonaScreen() {
  return (
    <div>
      <PageHeader title="Persona" />
      <Unavailable feature="Persona" reason="This part of the app arrives with its core feature." />
    </div>
  );
}
