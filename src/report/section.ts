import type { TopLevelSpec } from 'vega-lite';
import type { ReportInput } from './input.js';

/**
 * The report model: a report is a list of sections, each a list of blocks (plots, tables, notes,
 * the 3-D view). Sections are built from the JSON the study and analysis commands wrote (see
 * input.ts); nothing here computes physics. The HTML page (html.ts) and the print figures
 * (figures.ts) render the same blocks.
 */

/** Size of one plot panel in px (screen) or pt (print figures). */
export interface PlotSize {
  width: number;
  height: number;
}

export interface PlotBlock {
  kind: 'plot';
  /** Unique in the report; also the figure file name (figures/<id>.svg). */
  id: string;
  title: string;
  /** What the plot shows and how to read it (units, intervals, fit). */
  caption?: string;
  /** Notes the analysis raised about what this plot shows (sub-diffusive, fit start, ...). */
  notes?: string[];
  /** Panels side by side (the print figure of 2 panels takes a double column). */
  panels?: number;
  /** The Vega-Lite specification at a panel size (styling comes from theme.ts). */
  spec: (size: PlotSize) => TopLevelSpec;
}

export interface TableBlock {
  kind: 'table';
  title: string;
  caption?: string;
  columns: string[];
  rows: string[][];
}

export interface NotesBlock {
  kind: 'notes';
  title: string;
  items: string[];
}

/** The 3-D view of a structure with the transported species' probability density. */
export interface ViewerBlock {
  kind: 'viewer';
  id: string;
  title: string;
  caption?: string;
  /** Element symbols and Cartesian positions (A), molecules drawn whole. */
  symbols: string[];
  positions: number[];
  /** Bonds as atom index pairs (drawn). */
  bonds: [number, number][];
  /** Unit (oligomer) index per atom, -1 for atoms in none. */
  unit: number[];
  /** Cell vectors as rows (A). */
  cell: number[];
  /** Density grids per temperature: Gaussian cube text (values in 1/bohr^3). */
  densities: { temperatureK: number; cube: string }[];
  /** The temperature shown first. */
  defaultTemperatureK?: number;
  /** Isosurface level shown first (1/A^3). */
  defaultLevelPerA3: number;
  /** The mean of the density, 1 / cell volume (1/A^3): levels below it enclose most of the cell. */
  meanPerA3: number;
  species: string;
}

export type Block = PlotBlock | TableBlock | NotesBlock | ViewerBlock;

export interface Section {
  id: string;
  title: string;
  /** One line under the title. */
  summary?: string;
  blocks: Block[];
}

/**
 * A section builder: one function from the report input to its section, or undefined when the
 * input has nothing for it. Add a section by writing one module with one of these and listing it in
 * sections/index.ts (docs/report.md).
 */
export type SectionBuilder = (input: ReportInput) => Section | undefined;
