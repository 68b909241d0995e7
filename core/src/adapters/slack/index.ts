/** The SlackGateway adapter over `@slack/web-api`. */
export { SlackCallError, type SlackCallErrorOptions } from "../../ports/slack-errors";
export { createSlackGateway, type SlackGatewayOptions } from "./gateway";
export { MESSAGE_TEXT_LIMIT, splitText } from "./split";
