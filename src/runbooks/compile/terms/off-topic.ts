/**
 * Subjects of everyday working and private life that are never what an incident question is about: leave
 * and pay, celebrations, food, facilities, travel, health, leisure, one's own devices, other products. A
 * query naming one ("approve my *holiday* request", "reset my *laptop* password") asks about that subject,
 * whatever other words it shares with the runbooks, so the search says "no good match" unless the answer
 * itself holds the word as written ("the stream drops when the *laptop* sleeps": Connection lost's likely
 * causes say so).
 *
 * Written by domain, not from queries: nouns that name the subject, singular and plural. Left out on
 * purpose: words an incident report may hold about a user's situation that a runbook section need not
 * repeat (phone, browser, network, office, meeting, email, iphone, android, desktop, windows, teams) and
 * words with an IT sense (leave, order, match, game, train, desk, room, monitor, clock, history, fire). Compiled into the artifact
 * (`search.offTopic`).
 */

import { DEVICES } from '../../search/config';

const DOMAINS: Readonly<Record<string, string>> = {
  leaveAndPay:
    'holiday holidays vacation vacations pto timesheet timesheets payroll salary salaries payslip payslips paycheck paychecks pension pensions reimbursement maternity paternity appraisal appraisals',
  celebrations:
    'birthday birthdays anniversary anniversaries wedding weddings christmas easter halloween gift gifts party parties',
  food: 'lunch lunches dinner dinners breakfast snack snacks coffee canteen cafeteria kitchen recipe recipes pizza restaurant restaurants braai',
  facilities:
    'printer printers parking carpark furniture chair chairs plants toilet toilets aircon extinguisher locker lockers stationery elevator elevators badge badges guest guests hall halls',
  travel: 'flight flights hotel hotels taxi airport passport visa offsite',
  health: 'doctor doctors dentist nurse nurses hospital gym yoga insurance',
  fitness: 'marathon marathons jog jogging workout workouts treadmill stretches stretching hiking swimming',
  leisure:
    'football soccer cricket rugby tennis movie movies netflix spotify playlist playlists music song songs podcast podcasts horoscope wine beer playstation xbox nintendo gaming',
  home: 'house houses landlord mortgage bank banks banking bike bikes bicycle car cars school kid kids dishwasher dishwashers fridge fridges freezer oven microwave kettle toaster tv tvs television thermostat boiler',
  // One's own devices and other companies' products: an incident question names them only with what the
  // runbooks say about them ("the stream drops when the laptop sleeps"), so the answer must hold the word.
  // (search/config.ts DEVICES: placed in a situation, "from my laptop", a device is no subject)
  devices: [...DEVICES].join(' '),
  products:
    'outlook gmail zoom jira confluence excel powerpoint linkedin whatsapp youtube instagram facebook intranet sharepoint wordpress salesforce workday hubspot dropbox onedrive icloud',
  // Other platforms than the one the runbooks run (AWS, Terraform, GitHub Actions): a question naming one is
  // about that platform ("azure front door purge", "kubectl rollout undo"), unless a section names it too.
  otherPlatforms:
    'azure gcp kubernetes varnish django rails laravel haproxy squid kubectl k8s postgres postgresql mysql cloudflare heroku vercel netlify fastly akamai nginx jenkins gitlab circleci argocd helm ansible patroni prometheus alertmanager firebase flutter shopify openai mongodb redis elasticsearch kafka rabbitmq homebrew wix squarespace webflow chatgpt gemini supabase aurora auth0 okta pagerduty opsgenie hashicorp nomad consul cosmos cosmosdb spanner bigquery snowflake digitalocean linode openshift rancher istio grafana datadog splunk sentry dynatrace kibana loki newrelic',
  meetings: 'webinar webinars townhall recording recordings standup standups',
  // Photos and pictures are what customers' sites hold: only a person's own ones are everyday (phrases below).
  personal: 'avatar wallpaper',
  expenses: 'expense expenses overtime invoice invoices',
  // The weather and nature's disasters ("rain forecast for Cape Town", "severity levels of hurricanes").
  weather:
    'weather forecast forecasts rain rainfall snow hurricane hurricanes tornado tornadoes earthquake earthquakes thunderstorm thunderstorms',
  // Personal finance and the economy ("how are taxes calculated", "how does the stock market work").
  finance:
    'pricing tax taxes vat stock stocks dividend dividends loan loans bitcoin crypto cryptocurrency inflation',
};

/**
 * The same subjects named by a phrase whose words each have a working sense of their own ("time off",
 * "business cards", "out of office"): the phrase, as typed or without stop words, is the subject.
 */
const PHRASES: Readonly<Record<string, readonly string[]>> = {
  leaveAndPay: [
    'time off',
    'day off',
    'days off',
    'annual leave',
    'sick leave',
    'sick day',
    'parental leave',
    'leave request',
    'bank holiday',
    'pay rise',
    'bank details',
  ],
  meetings: ['one on one', 'all hands', 'team lunch', 'team building', 'performance review', 'job interview'],
  facilities: [
    'business card',
    'business cards',
    'name badge',
    'meeting room',
    'desk booking',
    'standing desk',
    'second monitor',
    'second screen',
    'dress code',
    'fire alarm',
    'alarm clock',
    'coffee machine',
    'vending machine',
    'washing machine',
    'fire drill',
    'house keys',
  ],
  fitness: ['5k run', '10k run', '10km run', '5k race', '10k race', 'heart rate'],
  leisure: ['bucket list'],
  otherPlatforms: [
    'cloud run',
    'cloud cdn',
    'cloud functions',
    'app engine',
    'microsoft teams',
    'terraform cloud',
    'google analytics',
    'token ring',
  ],
  personal: [
    'out of office',
    'email signature',
    'email password',
    'personal email',
    'phone plan',
    'phone bill',
    'home internet',
    'home router',
    'home network',
    'windows update',
    'airplane mode',
    'aeroplane mode',
    'flight mode',
    'guest wifi',
    'screen saver',
    'profile photo',
    'profile picture',
    'profile pic',
    'photo bucket',
    'photo album',
    'google drive',
    'credit card',
  ],
  // What a cloud service costs in general ("Bedrock's price per million tokens"), not what ours spends.
  finance: ['price per', 'prices per', 'charge per', 'charges per', 'cost per', 'costs per', 'per million'],
};

export const OFF_TOPIC: readonly string[] = [
  ...new Set(Object.values(DOMAINS).join(' ').split(/\s+/).filter(Boolean)),
  ...new Set(Object.values(PHRASES).flat()),
];
