import type { Knex } from 'knex';
import * as deviceSample from './01_device_sample';

interface Seed {
  seed(knex: Knex): Promise<void>;
}

// Listed here, like the migrations, so that seeds load the same way everywhere.
const seeds: ReadonlyArray<[string, Seed]> = [['01_device_sample', deviceSample]];

/** A knex seed source over the list above (knex passes the entries back to getSeed). */
export const seedSource = {
  getSeeds: async () => seeds.map(([name]) => name),
  getSeed: async (name: string) => {
    const found = seeds.find(([n]) => n === name);
    if (!found) throw new Error(`unknown seed ${name}`);
    return found[1];
  },
};
