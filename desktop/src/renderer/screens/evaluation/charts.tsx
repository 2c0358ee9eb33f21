/** Small SVG charts: no chart library, nothing fetched, readable in both themes. */

export function MetricBars({
  metrics,
  previous,
  keys,
}: {
  metrics: Record<string, number | null>;
  previous?: Record<string, number | null>;
  keys: { key: string; label: string }[];
}) {
  const rowH = 34;
  const width = 420;
  const labelW = 150;
  const barW = width - labelW - 50;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${width} ${keys.length * rowH + 8}`}
      role="img"
      aria-label="Scores of this run, with the previous run"
    >
      {keys.map(({ key, label }, i) => {
        const v = metrics[key];
        const p = previous?.[key];
        const y = i * rowH + 6;
        return (
          <g key={key}>
            <text x={0} y={y + 15} className="chart-label">
              {label}
            </text>
            <rect x={labelW} y={y + 4} width={barW} height={14} rx={3} className="chart-track" />
            {typeof v === 'number' && (
              <rect
                x={labelW}
                y={y + 4}
                width={Math.max(1, v * barW)}
                height={14}
                rx={3}
                className="chart-bar"
              />
            )}
            {typeof p === 'number' && (
              <line
                x1={labelW + p * barW}
                x2={labelW + p * barW}
                y1={y}
                y2={y + 22}
                className="chart-prev"
              />
            )}
            <text x={labelW + barW + 8} y={y + 15} className="chart-value">
              {typeof v === 'number' ? `${Math.round(v * 100)}%` : 'n/a'}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function TrendChart({ series, label }: { series: (number | null)[]; label: string }) {
  const w = 220;
  const h = 60;
  const points = series
    .map((v, i) =>
      v === null
        ? null
        : [
            series.length === 1 ? w / 2 : (i / (series.length - 1)) * (w - 8) + 4,
            h - 4 - v * (h - 8),
          ],
    )
    .filter((p): p is number[] => p !== null);
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label} over the last runs`}>
        <rect x={0} y={0} width={w} height={h} rx={4} className="chart-track" />
        <polyline points={points.map((p) => p.join(',')).join(' ')} className="chart-line" />
        {points.map((p) => (
          <circle key={p.join(',')} cx={p[0]} cy={p[1]} r={2.5} className="chart-dot" />
        ))}
      </svg>
      <figcaption>{label}</figcaption>
    </figure>
  );
}
