import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_SLI,
  ANNOTATION_SLO,
  parseSli,
  parseSlo,
  SliDocument,
  SliValidationError,
  SloDocument,
  SloValidationError,
} from '@praevisio/backstage-plugin-common';

/** A file an annotation points to, as read. */
export interface SourceFile {
  /** Where it was read from: a URL or `file:` + absolute path. */
  location: string;
  text: string;
}

export interface GateDocuments {
  slo: SloDocument;
  sli: SliDocument;
  sloText: string;
  sloLocation: string;
  sliLocation: string;
}

/** Strips the catalog's location type prefix (`url:`, `file:`). */
function splitLocation(
  ref: string,
): { type: 'url'; target: string } | { type: 'file'; target: string } {
  if (ref.startsWith('url:')) return { type: 'url', target: ref.slice(4) };
  if (ref.startsWith('file:')) {
    const target = ref.slice(5);
    // `file:/abs/path` or `file:///abs/path`
    return {
      type: 'file',
      target: target.startsWith('//') ? fileURLToPath(ref) : target,
    };
  }
  return { type: 'url', target: ref };
}

function isContained(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Reads the files an entity's gate annotations point to (DESIGN §4):
 * absolute `http(s)` URLs through the URL reader (which only reaches
 * configured integrations), paths relative to the entity's source location
 * (`backstage.io/source-location`, else `backstage.io/managed-by-location`).
 * For `file:` locations only files inside that location's directory are
 * read; `..` escapes and symlinks out of it are refused with a 400 naming
 * the annotation.
 */
export class SloSource {
  constructor(private readonly urlReader: UrlReaderService) {}

  /** The annotation's file, or undefined when the entity has no such annotation. */
  async readAnnotated(
    entity: Entity,
    annotation: string,
  ): Promise<SourceFile | undefined> {
    const value = entity.metadata.annotations?.[annotation]?.trim();
    if (!value) return undefined;
    if (/^https?:\/\//i.test(value)) {
      return { location: value, text: await this.readUrl(value, annotation) };
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) || path.isAbsolute(value)) {
      throw new InputError(
        `Annotation ${annotation}: "${value}" must be an http(s) URL or a path relative to the entity's source location`,
      );
    }
    const base =
      entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION] ??
      entity.metadata.annotations?.[ANNOTATION_LOCATION];
    if (!base) {
      throw new InputError(
        `Annotation ${annotation}: "${value}" is relative, but the entity has neither ${ANNOTATION_SOURCE_LOCATION} nor ${ANNOTATION_LOCATION} to resolve it against`,
      );
    }
    const { type, target } = splitLocation(base);
    if (type === 'url') {
      let url: string;
      try {
        url = new URL(value, target).toString();
      } catch {
        throw new InputError(
          `Annotation ${annotation}: cannot resolve "${value}" against the entity's location ${base}`,
        );
      }
      return { location: url, text: await this.readUrl(url, annotation) };
    }
    // A source-location ending in "/" is a directory; a managed-by location is a file.
    const dir = target.endsWith('/') ? target : path.dirname(target);
    const file = path.resolve(dir, value);
    if (!isContained(dir, file)) {
      throw new InputError(
        `Annotation ${annotation}: "${value}" escapes the entity's location directory ${dir}; only files inside it may be read`,
      );
    }
    let text: string;
    try {
      const [realDir, realFile] = await Promise.all([
        fs.realpath(dir),
        fs.realpath(file),
      ]);
      if (!isContained(realDir, realFile)) {
        throw new InputError(
          `Annotation ${annotation}: "${value}" resolves outside the entity's location directory ${dir}; only files inside it may be read`,
        );
      }
      text = await fs.readFile(realFile, 'utf8');
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(
        `Annotation ${annotation}: cannot read ${file}: ${
          (error as NodeJS.ErrnoException).code ?? (error as Error).message
        }`,
      );
    }
    return { location: `file:${file}`, text };
  }

  /** The entity's SLO and SLI documents, parsed; 400s name the file, line and path. */
  async readGateDocuments(entity: Entity): Promise<GateDocuments> {
    const sloFile = await this.readAnnotated(entity, ANNOTATION_SLO);
    if (!sloFile) {
      throw new InputError(
        `The entity has no ${ANNOTATION_SLO} annotation; add one pointing to its slo.yaml`,
      );
    }
    const { sli, sliLocation } = await this.readSli(entity);
    return {
      slo: parseLocated(sloFile, ANNOTATION_SLO, parseSlo),
      sli,
      sloText: sloFile.text,
      sloLocation: sloFile.location,
      sliLocation,
    };
  }

  /** The entity's sli.yaml alone (what canary analysis needs); 400 on problems. */
  async readSli(
    entity: Entity,
  ): Promise<{ sli: SliDocument; sliLocation: string }> {
    const sliFile = await this.readAnnotated(entity, ANNOTATION_SLI);
    if (!sliFile) {
      throw new InputError(
        `The entity has no ${ANNOTATION_SLI} annotation; add one pointing to its sli.yaml`,
      );
    }
    return {
      sli: parseLocated(sliFile, ANNOTATION_SLI, parseSli),
      sliLocation: sliFile.location,
    };
  }

  private async readUrl(url: string, annotation: string): Promise<string> {
    try {
      const response = await this.urlReader.readUrl(url);
      return (await response.buffer()).toString('utf8');
    } catch (error) {
      throw new InputError(
        `Annotation ${annotation}: cannot read ${url}: ${
          (error as Error).message
        }`,
      );
    }
  }
}

/** Parses a file, turning validation errors into a 400 with file, line and path. */
export function parseLocated<T>(
  file: SourceFile,
  annotation: string,
  parse: (text: string) => T,
): T {
  try {
    return parse(file.text);
  } catch (error) {
    if (
      error instanceof SloValidationError ||
      error instanceof SliValidationError
    ) {
      const where = [
        file.location,
        error.line !== undefined ? `line ${error.line}` : undefined,
        error.path ? `path ${error.path}` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
      throw new InputError(
        `Annotation ${annotation}: invalid document (${where}): ${error.reason}`,
      );
    }
    throw new InputError(
      `Annotation ${annotation}: invalid document (${file.location}): ${
        (error as Error).message
      }`,
    );
  }
}
