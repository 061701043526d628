// Typed data errors. Each names the file or URL it is about and says what was expected vs found,
// so a corrupt or partial input stops the pipeline with a message a person can act on.

export class DataError extends Error {
  /** The file or URL concerned. */
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = new.target.name;
    this.file = file;
  }
}

/** An idx file whose magic number, dimensions or byte count is wrong (corrupt or truncated). */
export class IdxFormatError extends DataError {
  constructor(file: string, what: string, expected: string | number, found: string | number) {
    super(file, `${what}: expected ${expected}, found ${found}`);
  }
}

/** A file whose MD5 is not the known one. */
export class ChecksumError extends DataError {
  readonly expected: string;
  readonly found: string;
  constructor(file: string, expected: string, found: string) {
    super(file, `MD5 mismatch: expected ${expected}, found ${found}`);
    this.expected = expected;
    this.found = found;
  }
}

/** One failed attempt to fetch a URL. `permanent` errors (HTTP 4xx) are not retried on that URL. */
export class DownloadAttemptError extends DataError {
  readonly permanent: boolean;
  constructor(url: string, message: string, permanent: boolean, cause?: unknown) {
    super(url, message, cause === undefined ? undefined : { cause });
    this.permanent = permanent;
  }
}

/** Every mirror and retry for one file failed; `attempts` lists why, one line each. */
export class DownloadError extends DataError {
  readonly attempts: string[];
  constructor(file: string, attempts: string[]) {
    super(file, `download failed after ${attempts.length} attempt(s):\n  ${attempts.join('\n  ')}`);
    this.attempts = attempts;
  }
}

/** A data source (npm package, directory, image) that does not hold what it should. */
export class DataSourceError extends DataError {}
