/**
 * Every commercial AWS Region: its code, its console name, and the places people call it by ("the replica
 * in Ireland", "Cape Town is down", "us-east"). Compiled into search synonyms (terms/index.ts), so a city
 * or a country finds the runbook text that names the region by its code, and a code finds text that names
 * the place. Source: the AWS Regions list (console names, as `aws account list-regions` shows them).
 */

export interface AwsRegion {
  code: string;
  /** The console name: `Europe (Ireland)`. */
  name: string;
  /** Cities, countries and informal names, lower case. */
  places: string[];
}

export const AWS_REGIONS: readonly AwsRegion[] = [
  {
    code: 'us-east-1',
    name: 'US East (N. Virginia)',
    places: ['n virginia', 'northern virginia', 'virginia', 'ashburn', 'iad'],
  },
  { code: 'us-east-2', name: 'US East (Ohio)', places: ['ohio', 'columbus'] },
  {
    code: 'us-west-1',
    name: 'US West (N. California)',
    places: ['n california', 'northern california', 'california', 'san francisco', 'bay area'],
  },
  { code: 'us-west-2', name: 'US West (Oregon)', places: ['oregon', 'portland', 'pdx'] },
  {
    code: 'af-south-1',
    name: 'Africa (Cape Town)',
    places: [
      'cape town',
      'capetown',
      'cpt',
      'south africa',
      'johannesburg',
      'joburg',
      'jozi',
      'jhb',
      'jnb',
      'za',
      'sa',
      'south african',
      'durban',
      'pretoria',
      'gauteng',
      'western cape',
    ],
  },
  { code: 'ap-east-1', name: 'Asia Pacific (Hong Kong)', places: ['hong kong', 'hk'] },
  { code: 'ap-east-2', name: 'Asia Pacific (Taipei)', places: ['taipei', 'taiwan'] },
  { code: 'ap-south-1', name: 'Asia Pacific (Mumbai)', places: ['mumbai', 'bombay', 'india'] },
  { code: 'ap-south-2', name: 'Asia Pacific (Hyderabad)', places: ['hyderabad'] },
  { code: 'ap-southeast-1', name: 'Asia Pacific (Singapore)', places: ['singapore'] },
  { code: 'ap-southeast-2', name: 'Asia Pacific (Sydney)', places: ['sydney', 'australia'] },
  { code: 'ap-southeast-3', name: 'Asia Pacific (Jakarta)', places: ['jakarta', 'indonesia'] },
  { code: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)', places: ['melbourne'] },
  { code: 'ap-southeast-5', name: 'Asia Pacific (Malaysia)', places: ['malaysia', 'kuala lumpur'] },
  { code: 'ap-southeast-6', name: 'Asia Pacific (New Zealand)', places: ['new zealand', 'auckland', 'nz'] },
  { code: 'ap-southeast-7', name: 'Asia Pacific (Thailand)', places: ['thailand', 'bangkok'] },
  { code: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)', places: ['tokyo', 'japan'] },
  { code: 'ap-northeast-2', name: 'Asia Pacific (Seoul)', places: ['seoul', 'south korea', 'korea'] },
  { code: 'ap-northeast-3', name: 'Asia Pacific (Osaka)', places: ['osaka'] },
  { code: 'ca-central-1', name: 'Canada (Central)', places: ['canada', 'montreal', 'quebec'] },
  { code: 'ca-west-1', name: 'Canada West (Calgary)', places: ['calgary', 'alberta'] },
  { code: 'eu-central-1', name: 'Europe (Frankfurt)', places: ['frankfurt', 'germany'] },
  { code: 'eu-central-2', name: 'Europe (Zurich)', places: ['zurich', 'switzerland'] },
  { code: 'eu-west-1', name: 'Europe (Ireland)', places: ['ireland', 'dublin', 'irish'] },
  {
    code: 'eu-west-2',
    name: 'Europe (London)',
    places: ['london', 'united kingdom', 'uk', 'britain', 'england'],
  },
  { code: 'eu-west-3', name: 'Europe (Paris)', places: ['paris', 'france'] },
  { code: 'eu-south-1', name: 'Europe (Milan)', places: ['milan', 'italy'] },
  { code: 'eu-south-2', name: 'Europe (Spain)', places: ['spain', 'aragon'] },
  { code: 'eu-north-1', name: 'Europe (Stockholm)', places: ['stockholm', 'sweden'] },
  { code: 'il-central-1', name: 'Israel (Tel Aviv)', places: ['tel aviv', 'israel'] },
  { code: 'me-south-1', name: 'Middle East (Bahrain)', places: ['bahrain'] },
  { code: 'me-central-1', name: 'Middle East (UAE)', places: ['uae', 'dubai', 'united arab emirates'] },
  { code: 'mx-central-1', name: 'Mexico (Central)', places: ['mexico'] },
  { code: 'sa-east-1', name: 'South America (São Paulo)', places: ['sao paulo', 'são paulo', 'brazil'] },
];

/** Continents and region families: every region whose code starts with the prefix. */
export const REGION_FAMILIES: Readonly<Record<string, string>> = {
  europe: 'eu-',
  european: 'eu-',
  eu: 'eu-',
  emea: 'eu-',
  africa: 'af-',
  african: 'af-',
  asia: 'ap-',
  apac: 'ap-',
  'asia pacific': 'ap-',
  'us east': 'us-east-',
  'us west': 'us-west-',
  'east coast': 'us-east-',
  'west coast': 'us-west-',
  'middle east': 'me-',
  'south america': 'sa-',
  latam: 'sa-',
};

/** What a region is to the system: the one that serves, or the one that takes over. */
export type RegionRole = 'primary' | 'standby';

/**
 * How people name a region by its role ("the primary is down", "move to the backup region"), and how
 * runbooks write it. Only the words: which region plays which role is read from the runbooks at build
 * time (compile/region-roles.ts), never written here.
 */
export const REGION_ROLE_WORDS: Readonly<
  Record<RegionRole, { written: readonly string[]; said: readonly string[] }>
> = {
  primary: {
    written: ['primary', 'primary region', 'active'],
    said: [
      'primary',
      'primary region',
      'active region',
      'main region',
      'home region',
      'normal region',
      'usual region',
      'prod region',
      'live region',
    ],
  },
  standby: {
    written: ['secondary', 'dr region', 'standby', 'warm standby'],
    said: [
      'secondary',
      'secondary region',
      'standby',
      'standby region',
      'warm standby',
      'dr region',
      'dr site',
      'dr side',
      'backup region',
      'backup site',
      'failover region',
      'recovery region',
      'passive region',
      'other region',
    ],
  },
};

/** A table header's role note (`eu-west-1 (warm standby)`) → the role it states. */
export const ROLE_NOTES: Readonly<Record<string, RegionRole>> = {
  active: 'primary',
  primary: 'primary',
  main: 'primary',
  standby: 'standby',
  'warm standby': 'standby',
  'hot standby': 'standby',
  'cold standby': 'standby',
  passive: 'standby',
  secondary: 'standby',
  dr: 'standby',
};
