// adapter → lib/app/disposals (消去・廃棄の記録, 第18条)
import { disposalOperations, disposalReplays } from '#lib/http/operations/disposals.js';
import { httpHandler } from '#lib/http/stack.js';

export const handler = httpHandler('disposals', disposalOperations, { replays: disposalReplays });
