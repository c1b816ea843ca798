import { sparklinePoints } from '../lib/sparkline';

const WIDTH = 120;
const HEIGHT = 32;

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  return (
    <svg className="sparkline" viewBox={`-2 -2 ${WIDTH + 4} ${HEIGHT + 4}`} role="img" aria-label={label} preserveAspectRatio="none">
      <polyline points={sparklinePoints(values, WIDTH, HEIGHT)} fill="none" vectorEffect="non-scaling-stroke" />
    </svg>
  );
}
