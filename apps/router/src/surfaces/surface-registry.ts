import { anthropicMessagesSurface } from './anthropic-messages/anthropic-messages-surface';
import { openAiChatSurface } from './openai-chat/openai-chat-surface';
import type { Surface } from './surface';

/** Every inbound surface the router answers; each contributes its routes to the route table. */
export const SURFACES: readonly Surface[] = [openAiChatSurface, anthropicMessagesSurface];
