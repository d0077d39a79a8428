/**
 * Every feature of the `/runbook` command, in one list. Owners append their feature here (one import, one
 * entry). `help` is added by createApp and lists every feature's subcommands.
 *
 * Search is loaded with the app. The other features are lazy (src/slack/lazy-feature.ts), one
 * folder each: a manifest (`<feature>/manifest.ts`) says what routing, help and Bolt need up front, and the
 * module is imported on first use, so a cold start answering a search loads none of them. A manifest
 * imports only light modules statically (its `subcommands.ts`, what `claims` and `validate` need) and
 * reaches its feature through `load()` alone; the feature never imports its manifest
 * (test/architecture/layers.test.ts). A manifest must list exactly what its module's feature declares
 * (test/slack/lazy-features.test.ts checks each one against the real feature).
 */
import type { Feature } from '../feature';
import { type LazyFeatureManifest, lazyFeature } from '../lazy-feature';
import { alarmsManifest } from './alarms/manifest';
import { awsStepsManifest } from './aws-steps/manifest';
import { checklistsManifest } from './checklists/manifest';
import { contactsManifest } from './contacts/manifest';
import { diagnoseManifest } from './diagnose/manifest';
import { reachManifest } from './reach/manifest';
import { searchFeature } from './search';
import { statusManifest } from './status/manifest';

export const lazyManifests: readonly LazyFeatureManifest[] = [
  contactsManifest,
  statusManifest,
  checklistsManifest,
  awsStepsManifest,
  alarmsManifest,
  diagnoseManifest,
  reachManifest,
];

export const features: Feature[] = [searchFeature, ...lazyManifests.map(lazyFeature)];
