/**
 * A small line of a test's values, oldest to newest: a plain SVG, so the results page does not
 * load a chart library (the portal's first load is on a phone). The values are also in words
 * beside it, so the line is decoration (`aria-hidden`).
 */
export function TrendLine({ values }: { values: number[] }) {
  const width = 120;
  const height = 32;
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const points = values
    .map((value, index) => {
      const x = (index / (values.length - 1)) * (width - 4) + 2;
      const y = height - 2 - ((value - min) / span) * (height - 4);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden>
      <polyline points={points} fill="none" stroke="var(--mantine-color-teal-7)" strokeWidth={2} />
    </svg>
  );
}
