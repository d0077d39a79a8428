/**
 * The Store on one DynamoDB table (AWS SDK v3), speaking the same protocol to AWS and to dynalite.
 *
 * | pk              | sk                   | what                                               |
 * |-----------------|----------------------|----------------------------------------------------|
 * | `RUN#<runId>`   | `META`               | the run record; `version` guards every replacement |
 * | `RUN#<runId>`   | `EVT#<event id>`     | one append-only event (ids start with ISO time)    |
 * | `CHAN#<channel>`| `LATEST#<checklist>` | the run most recently started there                |
 * | `KEY#<key>`     | `KEY`                | a key claimed once (a start's request → its run,   |
 * |                 |                      | a feedback record's id → its time)                 |
 * | `LEASE#<key>`   | `LEASE`              | a deferred task's lease: holder, until, done       |
 * | `FEEDBACK#<day>`| `<iso time>#<id>`    | search feedback of that UTC day (issue 20)         |
 * | `WATCH`         | `<runId>`            | a run the timers watch (active, or owing updates)  |
 * | `RECENT`        | `<runId>`            | a run, for "recent runs" (run ids sort by start)   |
 *
 * Records are stored as JSON in `data`, with the attributes conditions and queries need beside it.
 * No transactions and no TTL: both are missing from dynalite, and the design does not need them.
 */
import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import type { RunEvent } from '../workflows/run-state';
import {
  type FeedbackRecord,
  RunExistsError,
  type RunIndexEntry,
  type RunRecord,
  type Store,
  VersionConflictError,
} from './store';

export interface DynamoStoreOptions {
  tableName: string;
  /** Client settings; `endpoint` points at dynalite or DynamoDB Local. */
  client?: DynamoDBClientConfig;
  /** Called by `close()` after the client is destroyed (the embedded store stops its server here). */
  onClose?: () => Promise<void>;
}

const META = 'META';
const EVENT_PREFIX = 'EVT#';

const runKey = (runId: string) => ({ pk: { S: `RUN#${runId}` }, sk: { S: META } });
const eventKey = (event: RunEvent) => ({
  pk: { S: `RUN#${event.runId}` },
  sk: { S: `${EVENT_PREFIX}${event.id}` },
});
const latestKey = (channel: string, checklistId: string) => ({
  pk: { S: `CHAN#${channel}` },
  sk: { S: `LATEST#${checklistId}` },
});

const WATCH = 'WATCH';
/** Connection and request time-outs of the store's DynamoDB client (the AWS clients' are in aws/clients.ts). */
const STORE_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true };
/** The attribute holding the token of the write that made an item (`conditionalPut`). */
const WRITE = 'wt';
const RECENT = 'RECENT';

const claimKeyOf = (key: string) => ({ pk: { S: `KEY#${key}` }, sk: { S: 'KEY' } });
const leaseKeyOf = (key: string) => ({ pk: { S: `LEASE#${key}` }, sk: { S: 'LEASE' } });

// Condition expressions, named for what they assert.
const itemDoesNotExist = 'attribute_not_exists(pk)';
const versionIsUnchanged = '#version = :expected';
const leaseIsFree = 'attribute_not_exists(pk) OR (#until < :now AND #done = :false)';
const leaseIsHeldBy = '#holder = :holder';

export function createDynamoStore(options: DynamoStoreOptions): Store {
  const client = new DynamoDBClient({
    // A stalled call (a dropped connection, an impaired table) fails within seconds, to be retried or
    // reported, instead of waiting until Lambda kills the invocation mid-way (between a post and its record).
    requestHandler: STORE_TIMEOUTS,
    ...options.client,
  });
  const TableName = options.tableName;

  const runItem = (record: RunRecord) => ({
    ...runKey(record.state.runId),
    version: { N: String(record.state.version) },
    status: { S: record.state.status },
    checklistId: { S: record.state.checklistId },
    channel: { S: record.state.channel },
    data: { S: JSON.stringify(record) },
  });

  const store: Store = {
    async createRun(record) {
      if (!(await conditionalPut({ Item: runItem(record), ConditionExpression: itemDoesNotExist })))
        throw new RunExistsError(record.state.runId);
    },

    async getRun(runId) {
      const out = await client.send(
        new GetItemCommand({ TableName, Key: runKey(runId), ConsistentRead: true }),
      );
      const data = out.Item?.['data']?.S;
      return data === undefined ? null : (JSON.parse(data) as RunRecord);
    },

    async putRun(record, expectedVersion) {
      const written = await conditionalPut({
        Item: runItem(record),
        ConditionExpression: versionIsUnchanged,
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
      });
      if (!written) throw new VersionConflictError(record.state.runId, expectedVersion);
    },

    appendEvent(event) {
      return conditionalPut({
        Item: {
          ...eventKey(event),
          type: { S: event.type },
          at: { S: event.at },
          data: { S: JSON.stringify(event) },
        },
        ConditionExpression: itemDoesNotExist,
      });
    },

    async listEvents(runId) {
      const events: RunEvent[] = [];
      let ExclusiveStartKey: Record<string, { S: string }> | undefined;
      do {
        const out = await client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
            ExpressionAttributeValues: { ':pk': { S: `RUN#${runId}` }, ':evt': { S: EVENT_PREFIX } },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        for (const item of out.Items ?? []) {
          const data = item['data']?.S;
          if (data !== undefined) events.push(JSON.parse(data) as RunEvent);
        }
        ExclusiveStartKey = out.LastEvaluatedKey as typeof ExclusiveStartKey;
      } while (ExclusiveStartKey);
      return events;
    },

    async getLatestRun(channel, checklistId) {
      const out = await client.send(
        new GetItemCommand({ TableName, Key: latestKey(channel, checklistId), ConsistentRead: true }),
      );
      return out.Item?.['runId']?.S ?? null;
    },

    async setLatestRun(channel, checklistId, runId) {
      await client.send(
        new PutItemCommand({ TableName, Item: { ...latestKey(channel, checklistId), runId: { S: runId } } }),
      );
    },

    async close() {
      client.destroy();
      await options.onClose?.();
    },

    async claimKey(key, value) {
      const item = { ...claimKeyOf(key), value: { S: value } };
      if (await conditionalPut({ Item: item, ConditionExpression: itemDoesNotExist })) return value;
      const out = await client.send(
        new GetItemCommand({ TableName, Key: claimKeyOf(key), ConsistentRead: true }),
      );
      return out.Item?.['value']?.S ?? value;
    },

    acquireLease(key, holder, untilMs, nowMs) {
      return putLease(key, holder, untilMs, false, {
        ConditionExpression: leaseIsFree,
        ExpressionAttributeNames: { '#until': 'until', '#done': 'done' },
        ExpressionAttributeValues: { ':now': { N: String(nowMs) }, ':false': { BOOL: false } },
      });
    },

    async completeLease(key, holder) {
      await putLease(key, holder, 0, true, holderCondition(holder));
    },

    async releaseLease(key, holder) {
      await putLease(key, holder, 0, false, holderCondition(holder));
    },

    // Search feedback: one partition per UTC day, so a report reads a bounded range of days. Once per id,
    // whatever its time: a record dated by its write (a no-match: a command carries no time of its own)
    // comes again from Slack's retry with a later one, so the id claims the first write's time and the
    // record goes under it, the same item.
    async recordFeedback(record) {
      const at = await store.claimKey(`feedback:${record.id}`, record.at);
      const first = at === record.at ? record : { ...record, at };
      await conditionalPut({
        Item: { ...feedbackKey(first), kind: { S: first.kind }, data: { S: JSON.stringify(first) } },
        ConditionExpression: itemDoesNotExist,
      });
    },

    async listFeedback(since, until) {
      const out: FeedbackRecord[] = [];
      for (const day of daysBetween(since, until)) {
        let ExclusiveStartKey: Record<string, { S: string }> | undefined;
        do {
          const page = await client.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
              ExpressionAttributeValues: {
                ':pk': { S: `${FEEDBACK_PREFIX}${day}` },
                ':from': { S: since },
                ':to': { S: `${until}\uffff` },
              },
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const data = item['data']?.S;
            if (data !== undefined) out.push(JSON.parse(data) as FeedbackRecord);
          }
          ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
        } while (ExclusiveStartKey);
      }
      return out;
    },

    async indexRun(entry) {
      const data = { S: JSON.stringify(entry) };
      const recentOfTeam = entry.team ? [`${RECENT}#${entry.team}`] : [];
      await Promise.all(
        [WATCH, RECENT, ...recentOfTeam].map((pk) =>
          client.send(
            new PutItemCommand({ TableName, Item: { pk: { S: pk }, sk: { S: entry.runId }, data } }),
          ),
        ),
      );
    },

    async watchRun(entry) {
      await client.send(
        new PutItemCommand({
          TableName,
          Item: { pk: { S: WATCH }, sk: { S: entry.runId }, data: { S: JSON.stringify(entry) } },
        }),
      );
    },

    async unwatchRun(runId) {
      await client.send(new DeleteItemCommand({ TableName, Key: { pk: { S: WATCH }, sk: { S: runId } } }));
    },

    listWatchedRuns() {
      return queryIndex(WATCH, true);
    },

    listRecentRuns(limit, team) {
      return queryIndex(team ? `${RECENT}#${team}` : RECENT, false, limit);
    },
  };
  return store;

  /**
   * A conditional PutItem that recognises its own write; true when it was applied. The SDK retries a
   * request whose answer was lost (a time-out, a connection reset after DynamoDB wrote) by itself, and the
   * retry then fails its condition against this very write: taken for someone else's, a change made once
   * would be reported as a duplicate (an approved failover never executed, a lease this caller holds seen
   * as taken). So each item carries a token of the write that made it, and a failed condition whose item
   * holds this write's token is this write, applied.
   */
  async function conditionalPut(
    input: Pick<
      PutItemCommandInput,
      'Item' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    > & { Item: Record<string, AttributeValue> },
  ): Promise<boolean> {
    const token = randomUUID();
    try {
      await client.send(
        new PutItemCommand({ TableName, ...input, Item: { ...input.Item, [WRITE]: { S: token } } }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const out = await client.send(
      new GetItemCommand({
        TableName,
        Key: { pk: input.Item['pk'] as AttributeValue, sk: input.Item['sk'] as AttributeValue },
        ConsistentRead: true,
        ProjectionExpression: '#w',
        ExpressionAttributeNames: { '#w': WRITE },
      }),
    );
    return out.Item?.[WRITE]?.S === token;
  }

  /** Entries of one index partition, in run id (start time) order; all of them unless `limit`. */
  async function queryIndex(pk: string, oldestFirst: boolean, limit?: number): Promise<RunIndexEntry[]> {
    const out: RunIndexEntry[] = [];
    let ExclusiveStartKey: Record<string, { S: string }> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ScanIndexForward: oldestFirst,
          ConsistentRead: true,
          ...(limit !== undefined ? { Limit: limit - out.length } : {}),
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const data = item['data']?.S;
        if (data !== undefined) out.push(JSON.parse(data) as RunIndexEntry);
      }
      ExclusiveStartKey = page.LastEvaluatedKey as typeof ExclusiveStartKey;
    } while (ExclusiveStartKey && (limit === undefined || out.length < limit));
    return out;
  }

  /** Write the lease item on a condition; false when the condition does not hold. */
  async function putLease(
    key: string,
    holder: string,
    untilMs: number,
    done: boolean,
    condition: Pick<
      ConstructorParameters<typeof PutItemCommand>[0],
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<boolean> {
    return conditionalPut({
      Item: {
        ...leaseKeyOf(key),
        holder: { S: holder },
        until: { N: String(untilMs) },
        done: { BOOL: done },
      },
      ...condition,
    });
  }
}

function holderCondition(holder: string) {
  return {
    ConditionExpression: leaseIsHeldBy,
    ExpressionAttributeNames: { '#holder': 'holder' },
    ExpressionAttributeValues: { ':holder': { S: holder } },
  };
}

const FEEDBACK_PREFIX = 'FEEDBACK#';
const feedbackKey = (record: FeedbackRecord) => ({
  pk: { S: `${FEEDBACK_PREFIX}${record.at.slice(0, 10)}` },
  sk: { S: `${record.at}#${record.id}` },
});

/** Every UTC day (`YYYY-MM-DD`) from `since` to `until`, at most a year of them. */
export function daysBetween(since: string, until: string): string[] {
  const days: string[] = [];
  const end = Date.parse(until);
  for (let t = Date.parse(since.slice(0, 10)); t <= end && days.length < 366; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Create the table (pk/sk strings, on-demand) unless it exists, and wait until it is ACTIVE. */
export async function ensureTable(clientConfig: DynamoDBClientConfig, tableName: string): Promise<void> {
  const client = new DynamoDBClient(clientConfig);
  try {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    for (let i = 0; i < 200; i++) {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (out.Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`DynamoDB table ${tableName} did not become ACTIVE`);
  } finally {
    client.destroy();
  }
}
