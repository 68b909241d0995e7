/**
 * The Web API without HTTP: resolves the caller from its token, runs the method against the
 * workspace, and turns thrown {@link SlackApiError}s into Slack's `{ok:false,error}` bodies. The
 * HTTP transport and any in-process user (a demo page) call {@link SlackApi.call} alike.
 */
import { type MethodArgs, SlackApiError } from "./method-args";
import type { LocalWorkspace } from "./workspace";

/** Who is calling: resolved from the token. Bot tokens carry the bot's ids. */
export interface Caller {
  token: string;
  userId: string;
  botId?: string;
  appId?: string;
}

/** What every method handler receives. */
export interface MethodContext {
  workspace: LocalWorkspace;
  args: MethodArgs;
  caller: Caller;
}

/** A method: returns the success body without `ok`, or throws {@link SlackApiError}. */
export type MethodHandler = (context: MethodContext) => Record<string, unknown>;

/** Web API methods by name, e.g. `"chat.postMessage"`. */
export type MethodTable = Readonly<Record<string, MethodHandler>>;

/** A Slack response body: `ok` plus the method's fields or the error. */
export type SlackResponseBody = { ok: boolean; error?: string } & Record<string, unknown>;

/** Dispatches Web API calls to method handlers on behalf of known tokens. */
export class SlackApi {
  readonly #callers = new Map<string, Caller>();

  constructor(
    readonly workspace: LocalWorkspace,
    private readonly methods: MethodTable,
  ) {}

  /** Accepts `token` as the bot (or, with `userId`, as that user). */
  allowToken(token: string, userId?: string): Caller {
    const { botUserId, botId, appId } = this.workspace.identity;
    const asBot = userId === undefined || userId === botUserId;
    const caller: Caller = asBot ? { token, userId: botUserId, botId, appId } : { token, userId };
    this.#callers.set(token, caller);
    return caller;
  }

  /** Whether this local Slack knows `method`. */
  has(method: string): boolean {
    return Object.hasOwn(this.methods, method);
  }

  /** Runs one call and returns Slack's body; never throws for Slack-level errors. */
  call(method: string, token: string | undefined, args: MethodArgs): SlackResponseBody {
    const handler = this.has(method) ? this.methods[method] : undefined;
    if (!handler) return { ok: false, error: "unknown_method" };
    if (!token) return { ok: false, error: "not_authed" };
    const caller = this.#callers.get(token);
    if (!caller) return { ok: false, error: "invalid_auth" };
    try {
      return { ok: true, ...handler({ workspace: this.workspace, args, caller }) };
    } catch (error) {
      if (error instanceof SlackApiError) return { ok: false, error: error.error, ...error.extra };
      // A bug here should be loud, yet still answer the way Slack answers its own faults.
      console.error(`local slack: ${method} failed`, error);
      return { ok: false, error: "internal_error" };
    }
  }
}
