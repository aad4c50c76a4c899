/** What every adapter of the file port must do; each adapter's test runs it. */
import type { FileStore } from '../../../../cloudfunctions/kit/files/port';

export function fileStoreContract(name: string, open: () => Promise<FileStore> | FileStore) {
  describe(`${name}: file store contract`, () => {
    let files: FileStore;
    beforeEach(async () => {
      files = await open();
    });

    it('gives back the bytes it was given, with the content type and the key’s file name', async () => {
      const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0, 255, 10, 13]);
      const { fileId } = await files.put('print/ABC/80x60-1-1-r1.pdf', bytes, 'application/pdf');
      const file = await files.get(fileId);
      expect(file).not.toBeNull();
      expect(Buffer.from(file?.bytes ?? [])).toEqual(Buffer.from(bytes));
      expect(file?.contentType).toBe('application/pdf');
      expect(file?.name).toBe('80x60-1-1-r1.pdf');
    });

    it('gives each put its own id, even under the same key', async () => {
      const a = await files.put('print/ABC/same.pdf', new Uint8Array([1]), 'application/pdf');
      const b = await files.put('print/ABC/same.pdf', new Uint8Array([2]), 'application/pdf');
      expect(a.fileId).not.toBe(b.fileId);
      expect(Buffer.from((await files.get(a.fileId))?.bytes ?? [])).toEqual(Buffer.from([1]));
    });

    it('answers null for an id it never gave', async () => {
      expect(await files.get('0123456789abcdef0123456789abcdef.pdf')).toBeNull();
      expect(await files.get('../../etc/passwd')).toBeNull();
    });

    it('refuses keys that could escape or need escaping', async () => {
      for (const key of ['../x.pdf', 'a//b.pdf', '/abs.pdf', 'print/.hidden', 'a b.pdf', '']) {
        await expect(files.put(key, new Uint8Array([1]), 'application/pdf')).rejects.toThrow();
      }
    });

    it('links to a file with an http(s) URL', async () => {
      const { fileId } = await files.put('print/ABC/x.pdf', new Uint8Array([1]), 'application/pdf');
      expect(await files.url(fileId, 600)).toMatch(/^https?:\/\//);
    });
  });
}
