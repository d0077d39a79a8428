/** Reading what the bot posted (a response_url body or a chat.postMessage argument) the way a person sees it. */

export type MessageBody = {
  text?: string;
  blocks?: Array<Record<string, unknown>>;
  response_type?: string;
  replace_original?: boolean;
};

export interface ButtonElement {
  action_id: string;
  value?: string;
  url?: string;
  text: { text: string };
}

/** Every text in a message's blocks, joined: what a reader sees. */
export function visibleText(body: { blocks?: unknown }): string {
  const texts: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') texts.push(x);
        else walk(x);
      }
    }
  };
  walk(body.blocks ?? []);
  return texts.join('\n');
}

/** Buttons of actions blocks, and section accessories that are buttons, in order. */
export function messageButtons(body: MessageBody): ButtonElement[] {
  return (body.blocks ?? []).flatMap((b) => {
    if (b.type === 'actions') return b.elements as ButtonElement[];
    const accessory = b.accessory as ButtonElement | undefined;
    return accessory?.action_id ? [accessory] : [];
  });
}
