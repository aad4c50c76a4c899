import * as z from 'zod/mini';
import { zhCN } from 'zod/locales';

/** Zod's own messages (for issues our schemas give no message of their own) in Chinese. */
export function useChineseMessages(): void {
  z.config(zhCN());
}
