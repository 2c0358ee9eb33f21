import type { AppInfo } from '@creator-hub/shared/api/index';
import { useClient } from '../api/context';

/** First run: what Creator Hub does, what is missing on this machine, and what works anyway. */
export function Onboarding({ info, onDone }: { info: AppInfo; onDone: () => void }) {
  const client = useClient();
  const finish = async () => {
    await client.send('app.finishOnboarding', {});
    onDone();
  };
  const ollama = info.ollama;
  return (
    <main className="onboarding">
      <div className="onboarding-card">
        <h1>Welcome to Creator Hub</h1>
        <p className="lead">
          Turn your own documents into a companion that answers from them, and into coaching
          programs — on this computer, offline.
        </p>
        <ol className="steps-list">
          <li>Import your documents (PDF, Word, text, Markdown) into a knowledge base.</li>
          <li>Ask questions in the Playground and check every answer's sources.</li>
          <li>Shape the persona, build programs, test them, then publish.</li>
        </ol>
        <section className={`check ${ollama.reachable ? 'check-ok' : 'check-missing'}`}>
          <h2>{ollama.reachable ? 'Local AI found' : 'Local AI not found'}</h2>
          {ollama.reachable ? (
            <p>
              Ollama {ollama.version} is running at <code>{ollama.host}</code>. Answers and
              embeddings will use it.
            </p>
          ) : (
            <>
              <p>
                Creator Hub uses <strong>Ollama</strong> to run language models on this computer. It
                is not running at <code>{ollama.host}</code>.
              </p>
              <p>What still works without it:</p>
              <ul>
                <li>Importing documents, and keyword search over them.</li>
                <li>
                  Answers built from the best passages, with their sources (no generated text).
                </li>
                <li>Programs, the persona and test sets — everything you write by hand.</li>
              </ul>
              <p className="muted">
                Install Ollama from ollama.com, start it, then pick models in Settings. Vectors are
                added to your documents once it runs.
              </p>
            </>
          )}
        </section>
        <p className="muted">
          Your workspace folder: <code>{info.home}</code>
        </p>
        <button type="button" className="primary" onClick={finish}>
          Get started
        </button>
      </div>
    </main>
  );
}
