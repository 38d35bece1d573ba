// The rich-menu service's port over LINE: the menu objects and images of line/rich-menus.ts, created with the
// Messaging API, their images uploaded to the data API (LINE_DATA_API_BASE_URL).
import type { RichMenuPlatform } from '../services/rich-menu.service.ts';
import { withTimeout } from './line-messenger.ts';
import { fromLineSdk } from './line-sdk.ts';
import { richMenuDefinitions } from './rich-menus.ts';

export interface RichMenuPlatformOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
  liffUrl: string;
  timeoutMs?: number;
}

export function createRichMenuPlatform(options: RichMenuPlatformOptions): RichMenuPlatform {
  const messaging = fromLineSdk((sdk) => new sdk.messagingApi.MessagingApiClient({ channelAccessToken: options.channelAccessToken, baseURL: options.apiBaseUrl }));
  const blobs = fromLineSdk((sdk) => new sdk.messagingApi.MessagingApiBlobClient({ channelAccessToken: options.channelAccessToken, baseURL: options.dataApiBaseUrl }));
  const definitions = richMenuDefinitions(options.liffUrl);
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    hashes: () => ({ unlinked: definitions.unlinked.hash, borrower: definitions.borrower.hash, officer: definitions.officer.hash }),
    async create(role) {
      const definition = definitions[role];
      const [client, blob] = await Promise.all([messaging(), blobs()]);
      const { richMenuId } = await withTimeout('richmenu', timeoutMs, () => client.createRichMenu(definition.richMenu));
      await withTimeout('richmenu image', timeoutMs, () => blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(definition.image)], { type: definition.imageContentType })));
      return richMenuId;
    },
    async existing() {
      const client = await messaging();
      const { richmenus } = await withTimeout('richmenu list', timeoutMs, () => client.getRichMenuList());
      return new Set(richmenus.map((menu) => menu.richMenuId));
    },
    async setDefault(richMenuId) {
      const client = await messaging();
      await withTimeout('richmenu default', timeoutMs, () => client.setDefaultRichMenu(richMenuId));
    },
    async link(lineUserIds, richMenuId) {
      const client = await messaging();
      if (lineUserIds.length === 1) await withTimeout('richmenu link', timeoutMs, () => client.linkRichMenuIdToUser(lineUserIds[0]!, richMenuId));
      else if (lineUserIds.length > 1) await withTimeout('richmenu bulk link', timeoutMs, () => client.linkRichMenuIdToUsers({ richMenuId, userIds: [...lineUserIds] }));
    },
    async unlink(lineUserId) {
      const client = await messaging();
      await withTimeout('richmenu unlink', timeoutMs, () => client.unlinkRichMenuIdFromUser(lineUserId));
    },
    async remove(richMenuId) {
      const client = await messaging();
      await withTimeout('richmenu delete', timeoutMs, () => client.deleteRichMenu(richMenuId));
    },
  };
}
