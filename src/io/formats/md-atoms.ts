import { isElement } from '../../core/elements.js';
import { type ReadOptions, warn } from '../format.js';
import { elementFromAtomName } from './atom-name-element.js';

/**
 * Elements of the atoms of MD files (PDB, GRO, mmCIF): an explicit element field when the file
 * has one, else guessed from the atom name. Looks up each distinct (name, element) once. Names
 * that name no element become X (no chemical identity: coarse-grained beads, virtual sites) and are
 * reported once per file through `onWarning`, never silently.
 */
export class AtomElements {
  private readonly cache = new Map<string, string>();
  private readonly unnamed = new Set<string>();

  /**
   * The element of an atom; `element` is the file's element field ('' when absent). Returns
   * undefined when the element field is given but is no element (the caller reports it).
   */
  of(name: string, element: string): string | undefined {
    const key = `${name}\u0000${element}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    let el: string | undefined;
    if (element !== '') {
      const sym =
        element.length > 1
          ? element[0].toUpperCase() + element.slice(1).toLowerCase()
          : element.toUpperCase();
      if (!/^[A-Za-z]{1,2}$/.test(element) || !isElement(sym)) return undefined;
      el = sym;
    } else {
      el = elementFromAtomName(name);
      if (el === undefined) {
        this.unnamed.add(name);
        el = 'X';
      }
    }
    this.cache.set(key, el);
    return el;
  }

  /** Say (once) which atom names named no element. */
  report(file: string, options: ReadOptions, where: string): void {
    if (this.unnamed.size === 0) return;
    const names = [...this.unnamed].slice(0, 10).map((n) => JSON.stringify(n));
    const more = this.unnamed.size > 10 ? ` and ${this.unnamed.size - 10} more` : '';
    warn(
      options,
      `${file}: atom name${this.unnamed.size > 1 ? 's' : ''} ${names.join(', ')}${more} name${this.unnamed.size > 1 ? '' : 's'} no element: read as X (no chemical identity)${where}`,
    );
    this.unnamed.clear();
  }
}

/** True when a space-group symbol is P 1 (or absent): the file's atoms are the whole cell. */
export const isP1 = (symbol: string): boolean => {
  const s = symbol.replace(/['"\s]/g, '').toUpperCase();
  return s === '' || s === 'P1' || s === '?' || s === '.';
};
