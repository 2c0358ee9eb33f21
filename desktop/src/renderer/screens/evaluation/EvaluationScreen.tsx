import { PageHeader, Unavailable } from '../../components/ui';

export function EvaluationScreen() {
  return (
    <div>
      <PageHeader title="Evaluation" />
      <Unavailable
        feature="Evaluation"
        reason="This part of the app arrives with its core feature."
      />
    </div>
  );
}
