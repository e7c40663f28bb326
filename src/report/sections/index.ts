import type { SectionBuilder } from '../section.js';
import { rdfJsonSection, vdosJsonSection } from './analysis-json.js';
import { arrheniusSection } from './arrhenius.js';
import { experimentSection } from './experiment.js';
import { mechanicsSection } from './mechanics.js';
import { modelSection } from './model.js';
import { msdSection } from './msd.js';
import { numbersSection } from './numbers.js';
import { replicaSection } from './replicas.js';
import { scatteringSection } from './scattering.js';
import { structureSection } from './structure.js';
import { thermoSection } from './thermo.js';
import { viewerSection } from './viewer.js';

/**
 * Every section, in page order. A builder returns undefined when the input has nothing for it, so
 * a study report, a transport JSON report and a structure JSON report all come from this one list.
 * Add a section: one module with one SectionBuilder, listed here (docs/report.md).
 */
export const SECTIONS: SectionBuilder[] = [
  replicaSection,
  modelSection,
  thermoSection,
  msdSection,
  arrheniusSection,
  structureSection,
  rdfJsonSection,
  vdosJsonSection,
  scatteringSection,
  mechanicsSection,
  experimentSection,
  viewerSection,
  numbersSection,
];
