import type { Command } from 'commander';
import { registerStructureAngles } from './structure-angles.js';
import { registerStructureConformations } from './structure-conformations.js';
import { registerStructureEnvironments } from './structure-environments.js';
import { registerStructureRdf } from './structure-rdf.js';
import { registerStructureTopology } from './structure-topology.js';
import { registerStructureVdos } from './structure-vdos.js';
// Each structure subcommand lives in its own file (its shared scaffolding in structure-common.ts)
// and is registered below.

/** `oligolyte structure ...`: local structure and its dynamics over a trajectory. */
export const registerStructure = (program: Command): void => {
  const structure = program
    .command('structure')
    .description(
      'local structure of trajectories: radial distribution functions, bond angles, coordination environments, bonded topology, conformations, vibrations',
    );
  registerStructureRdf(structure);
  registerStructureAngles(structure);
  registerStructureEnvironments(structure);
  registerStructureTopology(structure);
  registerStructureConformations(structure);
  registerStructureVdos(structure);
};
