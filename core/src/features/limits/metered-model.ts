/**
 * A language model that reports what each call cost: prompt plus completion tokens as the server
 * counted them, or an estimate (four characters a token) when it sent no usage or the stream
 * broke off after the server had already worked. The reply path wraps the model for the person
 * it answers (`withTokenMeter`), so the reply feature itself stays unaware of budgets.
 */
import type { ChatStream, LanguageModel } from "../../ports/language-model";
import { recordTokens } from "./check";
import type { LimitsDeps } from "./deps";
import { type Asker, estimateTokens } from "./policy";

/** Wraps `model` so every call reports its tokens to `record`, exactly once. */
export function meteredModel(
  model: LanguageModel,
  record: (tokens: number) => Promise<void>,
): LanguageModel {
  return {
    get model() {
      return model.model;
    },
    stream(request): ChatStream {
      const inner = model.stream(request);
      let text = "";
      let recorded: Promise<void> | undefined;
      const settle = (tokens: number) => {
        recorded ??= record(tokens);
        return recorded;
      };
      return {
        async *[Symbol.asyncIterator]() {
          try {
            for await (const piece of inner) {
              text += piece;
              yield piece;
            }
          } catch (error) {
            await settle(estimateTokens(request.messages, text));
            throw error;
          }
        },
        async result() {
          try {
            const result = await inner.result();
            const { usage } = result;
            await settle(
              usage
                ? usage.promptTokens + usage.completionTokens
                : estimateTokens(request.messages, result.text),
            );
            return result;
          } catch (error) {
            await settle(estimateTokens(request.messages, text));
            throw error;
          }
        },
      };
    },
  };
}

/** `deps` with its model metered against `who`'s and the deployment's daily budgets. */
export function withTokenMeter<D extends LimitsDeps & { model: LanguageModel }>(
  deps: D,
  who: Asker,
): D {
  return { ...deps, model: meteredModel(deps.model, (tokens) => recordTokens(deps, who, tokens)) };
}
