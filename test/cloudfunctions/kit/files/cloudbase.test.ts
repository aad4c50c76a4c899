import {
  openCloudbaseFileStore,
  type CloudbaseStorage,
} from '../../../../cloudfunctions/kit/files/cloudbase';
import { StoreUnavailableError } from '../../../../cloudfunctions/kit/store/port';
import { fileStoreContract } from './contract';

/**
 * An in-memory stand-in with the SDK's shapes (checked against @cloudbase/node-sdk 3.18): fileIDs
 * `cloud://<env>.<bucket>/<cloudPath>`, per-file `code` in getTempFileURL, thrown `{ code }`.
 * Like COS, a second upload to the same path replaces the first.
 */
function fakeStorage(): CloudbaseStorage & { calls: unknown[] } {
  const objects = new Map<string, Buffer>();
  const calls: unknown[] = [];
  const idOf = (path: string) => `cloud://hgz-env.6867-hgz-env-1300000000/${path}`;
  const fake = {
    calls,
    async uploadFile({ cloudPath, fileContent }: { cloudPath: string; fileContent: unknown }) {
      calls.push({ uploadFile: cloudPath });
      objects.set(idOf(cloudPath), Buffer.from(fileContent as Buffer));
      return { fileID: idOf(cloudPath), requestId: 'r' };
    },
    async downloadFile({ fileID }: { fileID: string }) {
      const bytes = objects.get(fileID);
      if (!bytes) throw Object.assign(new Error('文件不存在'), { code: 'STORAGE_FILE_NONEXIST' });
      return { fileContent: bytes, message: '文件下载完成' };
    },
    async getTempFileURL({ fileList }: { fileList: Array<{ fileID: string; maxAge: number }> }) {
      calls.push({ getTempFileURL: fileList });
      return {
        fileList: fileList.map((f) =>
          objects.has(f.fileID)
            ? {
                code: 'SUCCESS',
                fileID: f.fileID,
                tempFileURL: `https://6867-hgz.tcb.qcloud.la/${f.fileID.split('/').slice(3).join('/')}?sign=x&t=${f.maxAge}`,
              }
            : { code: 'STORAGE_FILE_NONEXIST', fileID: f.fileID, tempFileURL: '' },
        ),
      };
    },
  };
  return fake as unknown as CloudbaseStorage & { calls: unknown[] };
}

fileStoreContract('CloudBase (SDK stand-in)', () => openCloudbaseFileStore({ app: fakeStorage() }));

describe('CloudBase file store', () => {
  it('asks for a temporary URL with the link’s lifetime as maxAge', async () => {
    const app = fakeStorage();
    const files = openCloudbaseFileStore({ app });
    const { fileId } = await files.put('print/A/x.pdf', new Uint8Array([1]), 'application/pdf');
    expect(fileId).toMatch(
      /^cloud:\/\/hgz-env\.6867-hgz-env-1300000000\/print\/A\/[0-9a-f]{24}\/x\.pdf$/,
    );
    expect(await files.url(fileId, 900)).toMatch(/^https:\/\/.*\?sign=x&t=900$/);
    expect(app.calls).toContainEqual({ getTempFileURL: [{ fileID: fileId, maxAge: 900 }] });
  });

  it('turns SDK failures and silence into StoreUnavailableError', async () => {
    const failing = {
      uploadFile: () => Promise.reject(Object.assign(new Error('x'), { code: 'SYS_ERR' })),
      downloadFile: () => new Promise(() => undefined),
      getTempFileURL: async () => ({ fileList: [{ code: 'STORAGE_EXCEED_AUTHORITY' }] }),
    } as unknown as CloudbaseStorage;
    const files = openCloudbaseFileStore({ app: failing, timeoutMs: 50 });
    await expect(files.put('a.pdf', new Uint8Array([1]), 'application/pdf')).rejects.toThrow(
      StoreUnavailableError,
    );
    await expect(files.get('cloud://e.b/a.pdf')).rejects.toThrow(StoreUnavailableError);
    await expect(files.url('cloud://e.b/a.pdf', 60)).rejects.toThrow(StoreUnavailableError);
  });
});
