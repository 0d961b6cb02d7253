import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { toServiceView } from '../services/service-view';
import { GMS_OPTIONS, type GmsOptions } from '../config/gms-options';
import { ExportPages } from './export-pages';
import {
  EXPORT_KINDS,
  csvHeader,
  exportBaseName,
  serviceCsv,
  stateCsv,
  taskCsv,
  type ExportKind,
} from './export-files';
import type { FilesRequest } from './export-request';
import { JsonArrayWriter } from './json-array-writer';
import { topLevelState, topLevelTask } from './resource-views';

const exportFailed = () =>
  new ApiError(500, 'EXPORT_FAILED', 'The export files could not be written; the failure has been logged.');

interface OutputFile {
  path: string;
  stream: Writable;
  /** Writes with backpressure; in the JSON format it also frames the array. */
  writer: JsonArrayWriter;
}

/**
 * Spec §4.27: writes the selected services, their states and their tasks to three files, page by
 * page through write streams (never the whole export in memory), and returns their paths.
 */
@Injectable()
export class FileExportService {
  constructor(
    private readonly pages: ExportPages,
    @Inject(GMS_OPTIONS) private readonly options: GmsOptions,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  private get directory(): string {
    return this.options.exportDir;
  }

  async export(tenant: string, group: string | undefined, request: FilesRequest): Promise<string[]> {
    let files: OutputFile[] = [];
    try {
      files = await this.openFiles(request.format);
      for await (const page of this.pages.read(tenant, group, request.selection, true)) {
        for (const { service, states, tasks } of page) {
          if (request.format === 'csv') {
            await files[0].writer.write(serviceCsv(service));
            for (const state of states) await files[1].writer.write(stateCsv(state));
            for (const task of tasks) await files[2].writer.write(taskCsv(task));
          } else {
            await files[0].writer.add(toServiceView(service, { extensions: 'all' }));
            for (const state of states) await files[1].writer.add(topLevelState(service, state));
            for (const task of tasks) await files[2].writer.add(topLevelTask(service, task));
          }
        }
      }
      for (const file of files) {
        if (request.format === 'json') await file.writer.close();
        file.stream.end();
        await finished(file.stream);
      }
      return files.map((file) => file.path);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) throw error;
      this.config.logger.error({ err: error, dir: this.directory }, 'export to files failed');
      await Promise.all(
        files.map(async (file) => {
          file.stream.destroy();
          await rm(file.path, { force: true }).catch(() => undefined);
        }),
      );
      throw exportFailed();
    }
  }

  /** Creates the directory and three new files; a name taken in the same millisecond moves on by 1 ms. */
  private async openFiles(format: 'csv' | 'json'): Promise<OutputFile[]> {
    await mkdir(this.directory, { recursive: true });
    const start = Date.now();
    for (let attempt = 0; ; attempt++) {
      const base = join(this.directory, exportBaseName(new Date(start + attempt)));
      const opened: OutputFile[] = [];
      try {
        for (const kind of EXPORT_KINDS)
          opened.push(await this.openFile(`${base}_${kind}.${format}`, kind, format));
        return opened;
      } catch (error) {
        for (const file of opened) {
          file.stream.destroy();
          await rm(file.path, { force: true }).catch(() => undefined);
        }
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw error;
      }
    }
  }

  private async openFile(path: string, kind: ExportKind, format: 'csv' | 'json'): Promise<OutputFile> {
    const handle = await open(path, 'wx');
    const stream = handle.createWriteStream({ encoding: 'utf8' });
    // A write error closes the stream; the next write then fails with StreamClosedError.
    stream.on('error', (error) => this.config.logger.error({ err: error, kind }, 'export file write failed'));
    const writer = new JsonArrayWriter(stream);
    if (format === 'json') await writer.open();
    else await writer.write(csvHeader(kind));
    return { path, stream, writer };
  }
}
