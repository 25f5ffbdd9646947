/**
 * Typed domain errors. Each maps to one HTTP status in lib/http/problem.ts;
 * `title`/`detail` are Japanese because they are shown to users as written.
 */
export interface FieldError {
  path: string;
  message: string;
}

/** The Japanese `title` of a problem, by HTTP status: the server's problem+json, and the app's fallback for a response without one. */
export const problemTitles: Readonly<Record<number, string>> = {
  400: '入力内容に誤りがあります',
  401: '認証が必要です',
  403: 'この操作を行う権限がありません',
  404: '見つかりません',
  409: '現在の状態では実行できません',
  412: '更新が競合しました',
  413: 'サイズが大きすぎます',
  415: '対応していない形式です',
  422: '同じキーで別の内容が送信されました',
  500: 'サーバー内部でエラーが発生しました',
  503: '一時的に利用できません',
};

export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'invalid'
    | 'unauthenticated'
    | 'forbidden'
    | 'notFound'
    | 'unsupportedMediaType'
    | 'payloadTooLarge'
    | 'conflict'
    | 'keyReused'
    | 'staleVersion'
    | 'unavailable';
  /** Stable slug for the problem `type`. */
  readonly code: string;

  constructor(code: string, detail: string) {
    super(detail);
    this.code = code;
    this.name = new.target.name;
  }
}

/** 400: the request does not meet the contract. */
export class InvalidInput extends DomainError {
  readonly kind = 'invalid' as const;
  constructor(
    detail: string,
    readonly errors: FieldError[] = [],
    code = 'invalid-input',
  ) {
    super(code, detail);
  }
}

/** 401: no identity, or one that cannot be trusted. */
export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated' as const;
  constructor(detail = '認証情報がないか、無効です。サインインし直してください。') {
    super('unauthenticated', detail);
  }
}

/** 403: the caller is known but may not do this; `detail` says why. */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden' as const;
  constructor(detail: string, code = 'forbidden') {
    super(code, detail);
  }
}

/** 404: unknown id, or an id the caller may not even see. */
export class NotFound extends DomainError {
  readonly kind = 'notFound' as const;
  constructor(detail: string, code = 'not-found') {
    super(code, detail);
  }
}

/** 415: the body is not in a format this route takes. */
export class UnsupportedMediaType extends DomainError {
  readonly kind = 'unsupportedMediaType' as const;
  constructor(detail: string, code = 'unsupported-media-type') {
    super(code, detail);
  }
}

/** 413: the body or the declared file is larger than allowed. */
export class PayloadTooLarge extends DomainError {
  readonly kind = 'payloadTooLarge' as const;
  constructor(detail: string, code = 'payload-too-large') {
    super(code, detail);
  }
}

/** 409: an illegal state transition or a duplicate. */
export class Conflict extends DomainError {
  readonly kind = 'conflict' as const;
  constructor(detail: string, code = 'conflict') {
    super(code, detail);
  }
}

/** 422: an `Idempotency-Key` already used for a request with another body (or another route). */
export class KeyReused extends DomainError {
  readonly kind = 'keyReused' as const;
  constructor(detail = 'この Idempotency-Key は別の内容の依頼に使われています。新しい操作には新しいキーを付けてください。') {
    super('idempotency-key-reused', detail);
  }
}

/** 412: the caller acted on a version that is no longer current. */
export class StaleVersion extends DomainError {
  readonly kind = 'staleVersion' as const;
  constructor(
    readonly currentVersion: number | undefined,
    detail = '他の利用者が先に更新しました。最新の内容を読み込み直してから操作してください。',
    /** Which entity moved, when a write of several says so (lib/app/changes.ts commitAsked). */
    readonly entity?: { entityType: string; entityId: string },
  ) {
    super('stale-version', detail);
  }
}

/** 503: a dependency is throttled or down; the request changed nothing and may be retried. */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable' as const;
  constructor(detail = '一時的に処理できません。しばらくしてから再度お試しください。', code = 'unavailable') {
    super(code, detail);
  }
}

/**
 * 503 after a write whose answer was lost (a timeout or a dropped connection while the
 * transaction ran): it may or may not have been applied.
 */
export class OutcomeUnknown extends Unavailable {
  constructor() {
    super(
      '処理結果を確認できませんでした。変更が反映された可能性があります。登録の操作は同じ Idempotency-Key を付けて再送すると、二重に登録されずに結果が返ります。その他の操作は最新の内容を読み込んで確認してから、必要なら再度行ってください。',
      'outcome-unknown',
    );
  }
}
