import { SERVICE_CONFIG, type ServiceConfig } from '@cs/platform';
import { ApiError } from '@cs/platform/core';
import { Inject, Injectable } from '@nestjs/common';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
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
  /** The name the file has once complete. */
  path: string;
  /** The name it is written under: `path`, or `<path>.part` for a job until the export is complete. */
  writing: string;
  stream: Writable;
  /** Writes with backpressure; in the JSON format it also frames the array. */
  writer: JsonArrayWriter;
}

/** How a background export job (docs/decisions/0010) follows and controls the export. */
export interface ExportJobHooks {
  pageSize: number;
  /** The final paths, once the files are open (written as `<path>.part`, renamed when complete). */
  opened(paths: string[]): Promise<void>;
  /** After each page, with its number of services: may pause, or throw to stop the export. */
  page(services: number): Promise<void>;
}

/** The name a job's export file has while it is being written: never taken for a complete file. */
export const partialName = (path: string) => `${path}.part`;

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

  /**
   * With `job`, the files are written as `<path>.part` and renamed once all three are complete, and
   * any failure (the hooks' included) is rethrown as is after the files are removed.
   */
  async export(
    tenant: string,
    group: string | undefined,
    request: FilesRequest,
    job?: ExportJobHooks,
  ): Promise<string[]> {
    let files: OutputFile[] = [];
    try {
      files = await this.openFiles(request.format, job !== undefined);
      await job?.opened(files.map((file) => file.path));
      const pages = this.pages.read(tenant, group, request.selection, true, Date.now(), job?.pageSize);
      for await (const page of pages) {
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
        await job?.page(page.length);
      }
      for (const file of files) {
        if (request.format === 'json') await file.writer.close();
        file.stream.end();
        await finished(file.stream);
      }
      for (const file of files) if (file.writing !== file.path) await rename(file.writing, file.path);
      return files.map((file) => file.path);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && !job) throw error;
      if (!job) this.config.logger.error({ err: error, dir: this.directory }, 'export to files failed');
      await Promise.all(
        files.map(async (file) => {
          file.stream.destroy();
          await rm(file.writing, { force: true }).catch(() => undefined);
          if (job) await rm(file.path, { force: true }).catch(() => undefined);
        }),
      );
      if (job) throw error;
      throw exportFailed();
    }
  }

  /** Creates the directory and three new files; a name taken in the same millisecond moves on by 1 ms. */
  private async openFiles(format: 'csv' | 'json', partial: boolean): Promise<OutputFile[]> {
    await mkdir(this.directory, { recursive: true });
    const start = Date.now();
    for (let attempt = 0; ; attempt++) {
      const base = join(this.directory, exportBaseName(new Date(start + attempt)));
      const opened: OutputFile[] = [];
      try {
        for (const kind of EXPORT_KINDS)
          opened.push(await this.openFile(`${base}_${kind}.${format}`, kind, format, partial));
        return opened;
      } catch (error) {
        for (const file of opened) {
          file.stream.destroy();
          await rm(file.writing, { force: true }).catch(() => undefined);
        }
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 20) throw error;
      }
    }
  }

  private async openFile(
    path: string,
    kind: ExportKind,
    format: 'csv' | 'json',
    partial: boolean,
  ): Promise<OutputFile> {
    const writing = partial ? partialName(path) : path;
    // A job's file takes its final name by a rename at the end: that name must be free too.
    if (partial && (await exists(path))) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
    const handle = await open(writing, 'wx');
    const stream = handle.createWriteStream({ encoding: 'utf8' });
    // A write error closes the stream; the next write then fails with StreamClosedError.
    stream.on('error', (error) => this.config.logger.error({ err: error, kind }, 'export file write failed'));
    const writer = new JsonArrayWriter(stream);
    if (format === 'json') await writer.open();
    else await writer.write(csvHeader(kind));
    return { path, writing, stream, writer };
  }
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
