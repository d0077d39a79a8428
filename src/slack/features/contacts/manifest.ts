/**
 * What the app needs of the contacts feature before it is loaded (src/slack/lazy-feature.ts). Lazy since the
 * approval DMs and timers (issue 19) grew the cold-start bundle: a search never needs the contacts renderer.
 */
import type { LazyFeatureManifest } from '../../lazy-feature';
import { contactsSubcommand, escalateSubcommand } from './subcommands';

export const contactsManifest: LazyFeatureManifest = {
  id: 'contacts',
  subcommands: [contactsSubcommand, escalateSubcommand],
  load: async () => (await import('./contacts.js')).contactsFeature,
};
