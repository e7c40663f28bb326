import type { Spec as VegaSpec } from 'vega';
import { compile } from 'vega-lite';
import type { PlotBlock } from './section.js';
import { type Medium, panelSize, plotConfig } from './theme.js';

/**
 * A plot block's Vega specification for a medium: the Vega-Lite spec at that medium's panel size,
 * with its theme, compiled to Vega (the page needs only the Vega runtime; figures render in Node).
 */
/**
 * Drop the invisible points that give lines their hover values on the page: print figures have no
 * hover, and the points would only make the SVG larger.
 */
const withoutHoverPoints = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutHoverPoints);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    const hover =
      k === 'point' && typeof v === 'object' && v !== null && (v as { opacity?: number }).opacity === 0;
    if (!hover) out[k] = k === 'data' ? v : withoutHoverPoints(v);
  }
  return out;
};

export const compilePlot = (block: PlotBlock, medium: Medium): VegaSpec => {
  const built = block.spec(panelSize(medium)) as unknown;
  const spec = (medium === 'print' ? withoutHoverPoints(built) : { ...(built as object) }) as Record<
    string,
    unknown
  >;
  if (medium === 'print') spec.title = { text: block.title };
  const vega = compile(spec as unknown as Parameters<typeof compile>[0], { config: plotConfig(medium) })
    .spec as VegaSpec & Record<string, unknown>;
  // No URL in the page: the schema is documentation, not needed to render.
  delete vega.$schema;
  return vega;
};
