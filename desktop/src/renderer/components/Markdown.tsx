import { useEffect, useLayoutEffect, useRef } from 'react';
import { useClient } from '../api/context';
import { renderMarkdown } from './safe-markdown';

interface Props {
  text: string;
  citations?: ReadonlySet<number>;
  onCite?: (n: number) => void;
  className?: string;
}

/** Model output and document text, rendered as sanitised Markdown; links open outside the app. */
export function Markdown({ text, citations, onCite, className }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const client = useClient();
  const onCiteRef = useRef(onCite);
  onCiteRef.current = onCite;

  useLayoutEffect(() => {
    ref.current?.replaceChildren(renderMarkdown(text, citations));
  }, [text, citations]);

  // One delegated listener: citation buttons and links are created outside React.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onClick = (event: MouseEvent) => {
      const target = event.target as HTMLElement;
      const cite = target.closest<HTMLElement>('[data-cite]');
      if (cite) return onCiteRef.current?.(Number(cite.dataset.cite));
      const link = target.closest('a');
      if (!link) return;
      event.preventDefault();
      const href = link.getAttribute('href') ?? '';
      if (!href.startsWith('https://')) return;
      if (client.transport === 'electron') void client.send('app.openExternal', { url: href });
      else window.open(href, '_blank', 'noopener,noreferrer');
    };
    el.addEventListener('click', onClick);
    return () => el.removeEventListener('click', onClick);
  }, [client]);

  return <div ref={ref} className={`markdown ${className ?? ''}`} />;
}
