/**
 * The people and channels of the playground's pretend workspace. Their roles match
 * src/playground/approvers.demo.yaml, so every approval gate in the runbooks has someone to sign it and
 * separation of duties can be tried by switching users.
 */

export interface DemoUser {
  id: string;
  /** Slack `user_name` / handle. */
  handle: string;
  name: string;
  title: string;
  /** Approver roles (slugs as in approvers.yaml); empty for someone who can approve nothing. */
  roles: string[];
  color: string;
}

export interface DemoChannel {
  id: string;
  name: string;
  topic: string;
}

export const PLAYGROUND_TEAM = { id: 'T0PLAYGRND', domain: 'playground' } as const;
export const PLAYGROUND_APP_ID = 'A0PLAYGRND';
export const PLAYGROUND_BOT = { userId: 'U0PLAYBOT0', botId: 'B0PLAYBOT0', name: 'Runbook bot' } as const;

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'U0PLAYALICE',
    handle: 'alice',
    name: 'Alice Chen',
    title: 'Incident commander · DevOps',
    roles: ['devops', 'incident-commander'],
    color: '#1d7b6a',
  },
  {
    id: 'U0PLAYBOB',
    handle: 'bob',
    name: 'Bob Okafor',
    title: 'Security',
    roles: ['security'],
    color: '#8e3b46',
  },
  {
    id: 'U0PLAYCAROL',
    handle: 'carol',
    name: 'Carol Díaz',
    title: 'Architecture',
    roles: ['architecture'],
    color: '#4a5fb0',
  },
  {
    id: 'U0PLAYDAVE',
    handle: 'dave',
    name: 'Dave Müller',
    title: 'Business owner · Incident commander',
    roles: ['business-owner', 'incident-commander'],
    color: '#a8661b',
  },
  {
    id: 'U0PLAYFRANK',
    handle: 'frank',
    name: 'Frank Osei',
    title: 'DevOps on-call',
    roles: ['devops'],
    color: '#2b7a9b',
  },
  {
    id: 'U0PLAYERIN',
    handle: 'erin',
    name: 'Erin Park',
    title: 'Developer · no approver role',
    roles: [],
    color: '#6b6b6b',
  },
];

export const DEMO_CHANNELS: readonly DemoChannel[] = [
  {
    id: 'C0PLAYINC',
    name: 'incidents',
    topic: 'Where incidents are handled. Type /runbook help below to start.',
  },
  { id: 'C0PLAYOPS', name: 'ops-stakeholders', topic: 'Stakeholder notices posted by the bot.' },
];

/** Shown as one-click examples on an empty channel. */
export const EXAMPLE_COMMANDS: readonly string[] = [
  '/runbook help',
  '/runbook token expired',
  '/runbook diagnose login',
  '/runbook status',
  '/runbook drill failover',
];

export function findUser(id: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.id === id);
}

export function findChannel(id: string): DemoChannel | undefined {
  return DEMO_CHANNELS.find((c) => c.id === id);
}
