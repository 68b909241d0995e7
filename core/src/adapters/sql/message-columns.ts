// The columns a StoredMessage is read from. Embedding and search vectors stay in the database:
// callers never need them back, and they are the bulk of each row.
import { messages } from "../../../../db/schema";

export const storedMessageColumns = {
  id: messages.id,
  teamId: messages.teamId,
  channelId: messages.channelId,
  ts: messages.ts,
  threadTs: messages.threadTs,
  userId: messages.userId,
  botId: messages.botId,
  text: messages.text,
  visibility: messages.visibility,
  postedAt: messages.postedAt,
  editedAt: messages.editedAt,
  deletedAt: messages.deletedAt,
};
