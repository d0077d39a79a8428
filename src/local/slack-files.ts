/**
 * The fake Slack's files (./slack-web-api.ts), following Slack's upload flow:
 *
 * 1. `files.getUploadURLExternal` (filename, length in bytes) reserves a file id and an upload URL;
 * 2. the bytes are POSTed to that URL, raw or as multipart form data (`files.uploadV2` sends a multipart
 *    form), outside the Web API: Slack answers `200 OK - <bytes>` there;
 * 3. `files.completeUploadExternal` (files: [{ id, title }], channel_id, thread_ts, initial_comment or
 *    blocks) finishes the upload and shares the files, as one message, into the channel or thread; without
 *    a channel they stay private.
 *
 * A file completes once and only after its bytes arrived; tests and the playground read `list()`.
 */
import { randomBytes } from 'node:crypto';

export interface FakeFile {
  id: string;
  name: string;
  title?: string;
  /** What `files.getUploadURLExternal` was told. */
  length: number;
  snippetType?: string;
  /** The bytes posted to the upload URL, once they arrived. */
  content?: Buffer;
  completed: boolean;
  /** Where it was shared (channel, and the thread's parent ts). */
  channel?: string;
  threadTs?: string;
}

/** A file as a message carries it; `text` is its content as UTF-8, for tests and the playground. */
export interface FakeFileShare {
  id: string;
  name: string;
  title: string;
  size: number;
  text: string;
}

type Failure = { error: string };

export class FakeFiles {
  private readonly byId = new Map<string, FakeFile>();
  private readonly keys = new Map<string, string>();
  private seq = 0;

  list(): FakeFile[] {
    return [...this.byId.values()];
  }

  get(id: string): FakeFile | undefined {
    return this.byId.get(id);
  }

  clear(): void {
    this.byId.clear();
    this.keys.clear();
  }

  /** files.getUploadURLExternal */
  open(args: Record<string, unknown>): { id: string; key: string } | Failure {
    const name = typeof args.filename === 'string' ? args.filename.trim() : '';
    const length = Number(args.length);
    if (!name) return { error: 'invalid_arguments' };
    // Slack: "missing_argument ... typically only occurs when the length provided is 0".
    if (!Number.isInteger(length) || length <= 0) return { error: 'missing_argument' };
    const id = `F${String(++this.seq).padStart(9, '0')}`;
    // As Slack's, the upload URL needs no token: the URL is the secret, so it carries an unguessable key.
    const key = randomBytes(16).toString('hex');
    this.keys.set(id, key);
    this.byId.set(id, {
      id,
      name,
      length,
      completed: false,
      ...(typeof args.snippet_type === 'string' ? { snippetType: args.snippet_type } : {}),
    });
    return { id, key };
  }

  /** POST to the upload URL (`<id>/<key>`): raw bytes, or the first file part of a multipart form. */
  async receive(
    path: string,
    body: Buffer,
    contentType: string | undefined,
  ): Promise<{ status: number; body: string }> {
    const [id = '', key] = path.split('/');
    const file = this.byId.get(id);
    if (!file || file.completed || key === undefined || key !== this.keys.get(id))
      return { status: 404, body: 'not_found' };
    let bytes = body;
    if (contentType?.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': contentType },
      }).formData();
      const part = [...form.values()].find((v): v is File => typeof v !== 'string');
      if (!part) return { status: 400, body: 'no_file_data' };
      bytes = Buffer.from(await part.arrayBuffer());
    }
    file.content = bytes;
    return { status: 200, body: `OK - ${bytes.length}` };
  }

  /** files.completeUploadExternal: the files it completed, and the channel they were shared to. */
  complete(
    args: Record<string, unknown>,
  ): { files: { info: Record<string, unknown>; share: FakeFileShare }[]; channel?: string } | Failure {
    const list = Array.isArray(args.files) ? (args.files as { id?: unknown; title?: unknown }[]) : [];
    if (list.length === 0) return { error: 'invalid_arguments' };
    const channel =
      typeof args.channel_id === 'string' && args.channel_id
        ? args.channel_id
        : typeof args.channels === 'string' && args.channels
          ? args.channels.split(',')[0]?.trim()
          : undefined;
    // "Make sure to provide only one channel when using thread_ts".
    if (args.thread_ts !== undefined && !channel) return { error: 'invalid_arguments' };
    const files: FakeFile[] = [];
    for (const entry of list) {
      const file = this.byId.get(String(entry.id ?? ''));
      if (!file || file.completed || !file.content) return { error: 'file_not_found' };
      files.push(file);
    }
    return {
      ...(channel ? { channel } : {}),
      files: files.map((file, i) => {
        const title = list[i]?.title;
        file.completed = true;
        if (typeof title === 'string' && title) file.title = title;
        if (channel) file.channel = channel;
        if (typeof args.thread_ts === 'string') file.threadTs = args.thread_ts;
        const size = file.content?.length ?? 0;
        return {
          info: { id: file.id, name: file.name, title: file.title ?? file.name, size },
          share: {
            id: file.id,
            name: file.name,
            title: file.title ?? file.name,
            size,
            text: file.content?.toString('utf8') ?? '',
          },
        };
      }),
    };
  }
}
