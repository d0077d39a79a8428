/**
 * Parses CloudFormation YAML (short-form intrinsic tags: `!Ref`, `!Sub`, `!GetAtt`, `!If`, ...) into the
 * long JSON form (`{ Ref: … }`, `{ 'Fn::Sub': … }`), so a template can be checked like a generated one.
 */
import { parse, type Tags, YAMLMap, YAMLSeq } from 'yaml';

const FUNCTIONS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'GetAtt',
];

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  // `!GetAtt Table.Arn` is `{ 'Fn::GetAtt': ['Table', 'Arn'] }`.
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const tags: Tags = ['Ref', 'Condition', ...FUNCTIONS].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) },
  {
    tag: `!${name}`,
    collection: 'seq' as const,
    nodeClass: YAMLSeq,
    resolve: (seq: YAMLSeq) => longForm(name, seq.toJSON()),
  },
  {
    tag: `!${name}`,
    collection: 'map' as const,
    nodeClass: YAMLMap,
    resolve: (map: YAMLMap) => longForm(name, map.toJSON()),
  },
]) as Tags;

export function parseCloudFormationYaml(text: string): Record<string, unknown> {
  return parse(text, { customTags: tags }) as Record<string, unknown>;
}
