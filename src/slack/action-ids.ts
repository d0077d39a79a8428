/**
 * Every action_id, callback_id and block_id prefix the bot uses, in one place. Feature modules add their
 * own constants here (additively) and never repeat an ID string elsewhere.
 */
export const ActionIds = {} as const;
