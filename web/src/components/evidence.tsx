import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, networkFailureMessage } from '../api.js';
import { bytesText, dateTimeText } from '../format.js';
import { useCreateIntent, usePaged } from '../hooks.js';
import { useSession } from '../session.js';
import { type EvidenceTypeInfo, malwareScanText } from '#lib/domain/evidence.js';
import type { Evidence, EvidenceCreated, EvidenceStatus, EvidenceTargetType } from '../types.js';
import { evidenceStatusLabels } from '../labels.js';
import { PagedList, StatusBadge } from './ui.js';

/**
 * 証跡: a file or a photo from the phone camera goes straight to S3 with the presigned
 * POST the API hands out (never through a function); the server then checks size, type
 * and SHA-256 and the status moves from 検証待ち to 検証済み or 却下 (or, when the file
 * never arrived, the daily duty marks it 期限切れ（未着）).
 */

/** The file picker's `accept`: exactly the types the API accepts (GET /profile), by type and by file name extension. */
export function acceptOf(types: readonly EvidenceTypeInfo[]): string {
  return [...types.map((t) => t.contentType), ...types.flatMap((t) => t.extensions)].join(',');
}

/** The type to declare: the browser's when the API accepts it, else the one the file name's extension says (HEIC on a desktop). */
export function contentTypeOf(file: Pick<File, 'name' | 'type'>, types: readonly EvidenceTypeInfo[]): string {
  if (types.some((t) => t.contentType === file.type)) return file.type;
  const name = file.name.toLowerCase();
  return types.find((t) => t.extensions.some((x) => name.endsWith(x)))?.contentType ?? (file.type || 'application/octet-stream');
}

/** The upload failed before S3 answered (offline, dropped connection). */
export class NetworkFailure extends Error {}

/** Sends the presigned POST form, reporting progress from 0 to 1. */
export type UploadTransport = (upload: EvidenceCreated['upload'], file: File, onProgress: (fraction: number) => void) => Promise<void>;

/** The browser's transport: XMLHttpRequest, whose upload events give progress. */
export const xhrTransport: UploadTransport = (upload, file, onProgress) =>
  new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(upload.fields)) form.append(k, v);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', upload.url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(new Error(`ファイルの送信が拒否されました（HTTP ${xhr.status}）。ファイルの形式と大きさを確認してください。`));
    };
    xhr.onerror = () => reject(new NetworkFailure(networkFailureMessage));
    xhr.ontimeout = () => reject(new NetworkFailure(networkFailureMessage));
    xhr.send(form);
  });

/** SHA-256 of the file's bytes, lower-case hex, computed in the browser. */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

type Step =
  | { name: 'idle' }
  | { name: 'hashing' }
  | { name: 'uploading'; fraction: number }
  | { name: 'checking'; evidenceId: string; status: EvidenceStatus; rejectReason?: string | undefined }
  | { name: 'failed'; error: unknown; offline: boolean };

export interface EvidenceUploaderProps {
  target: { type: EvidenceTargetType; id: string };
  /** Called once the server has the evidence record (its id can go into a submit body). */
  onCreated?: (evidenceId: string) => void;
  /** Called when verification ends. */
  onSettled?: (evidence: Evidence) => void;
  transport?: UploadTransport;
  pollMs?: number;
  /** Polls before giving up waiting (the status can still be checked by hand). */
  maxPolls?: number;
}

export function EvidenceUploader({
  target,
  onCreated,
  onSettled,
  transport = xhrTransport,
  pollMs = 1500,
  maxPolls = 80,
}: EvidenceUploaderProps) {
  const { api, profile } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ name: 'idle' });
  const [waitedOut, setWaitedOut] = useState(false);
  const created = useRef<{ file: File; evidence: EvidenceCreated } | null>(null);
  const intent = useCreateIntent();
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  useEffect(() => {
    if (!file || !file.type.startsWith('image/') || typeof URL.createObjectURL !== 'function') return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  async function poll(evidenceId: string) {
    setWaitedOut(false);
    for (let i = 0; i < maxPolls && alive.current; i++) {
      try {
        const { data } = await api.get<Evidence>(`/evidence/${evidenceId}`);
        if (!alive.current) return;
        setStep({ name: 'checking', evidenceId, status: data.status, rejectReason: data.rejectReason });
        if (data.status !== 'pending') {
          onSettled?.(data);
          return;
        }
      } catch (error) {
        if (!(error instanceof ApiError && error.offline)) {
          if (alive.current) setStep({ name: 'failed', error, offline: false });
          return;
        }
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    if (alive.current) setWaitedOut(true);
  }

  async function upload(f: File) {
    try {
      let c = created.current;
      if (!c || c.file !== f || Date.parse(c.evidence.upload.expiresAt) <= Date.now()) {
        setStep({ name: 'hashing' });
        const sha256 = await sha256Hex(f);
        const { data } = await api.create<EvidenceCreated>(
          '/evidence',
          {
            target,
            fileName: f.name,
            contentType: contentTypeOf(f, profile.evidenceTypes),
            size: f.size,
            sha256,
            ...(f.lastModified ? { capturedAt: new Date(f.lastModified).toISOString() } : {}),
          },
          intent,
        );
        c = { file: f, evidence: data };
        created.current = c;
        onCreated?.(data.evidenceId);
      }
      setStep({ name: 'uploading', fraction: 0 });
      await transport(c.evidence.upload, f, (fraction) => alive.current && setStep({ name: 'uploading', fraction }));
      setStep({ name: 'checking', evidenceId: c.evidence.evidenceId, status: 'pending' });
      await poll(c.evidence.evidenceId);
    } catch (error) {
      const offline = error instanceof NetworkFailure || (error instanceof ApiError && error.offline);
      if (alive.current) setStep({ name: 'failed', error, offline });
    }
  }

  const busy =
    step.name === 'hashing' || step.name === 'uploading' || (step.name === 'checking' && step.status === 'pending' && !waitedOut);
  return (
    <div class="uploader">
      <label class="file-label">
        写真を撮影・ファイルを選択
        <input
          type="file"
          accept={acceptOf(profile.evidenceTypes)}
          capture="environment"
          disabled={busy}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (!f) return;
            setFile(f);
            created.current = null;
            void upload(f);
          }}
        />
      </label>
      {file && (
        <p class="file-name">
          {file.name}（{bytesText(file.size)}）
        </p>
      )}
      {preview && <img class="preview" src={preview} alt={`選択した画像のプレビュー: ${file?.name ?? ''}`} />}
      {step.name === 'hashing' && <p role="status">ファイルを確認しています…</p>}
      {step.name === 'uploading' && (
        <div class="progress">
          <label>
            アップロード中 {Math.round(step.fraction * 100)}%
            <progress max={100} value={Math.round(step.fraction * 100)} />
          </label>
        </div>
      )}
      {step.name === 'checking' && (
        <p role="status" class={`evidence-status evidence-${step.status}`}>
          状態: <StatusBadge status={step.status} label={evidenceStatusLabels[step.status]} />
          {step.status === 'rejected' && step.rejectReason && <span class="reject-reason">（{step.rejectReason}）</span>}
          {step.status !== 'pending' && (
            <>
              {' '}
              <a href={`/evidence/${step.evidenceId}`}>証跡を開く</a>
            </>
          )}
        </p>
      )}
      {step.name === 'checking' && waitedOut && (
        <p>
          検証に時間がかかっています。{' '}
          <button type="button" class="secondary" onClick={() => void poll(step.evidenceId)}>
            状態を確認
          </button>
        </p>
      )}
      {step.name === 'failed' && (
        <div class="alert" role="alert">
          {step.offline ? (
            <p class="alert-detail">{networkFailureMessage}</p>
          ) : (
            <p class="alert-detail">{step.error instanceof Error ? step.error.message : String(step.error)}</p>
          )}
          {file && (
            <button type="button" onClick={() => void upload(file)}>
              再試行
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** The evidence of one target, with status, the virus scan (「ウイルス検査: 問題なし」) and a link to each. */
export function EvidenceList({ target }: { target: { type: EvidenceTargetType; id: string } }) {
  const list = usePaged<Evidence>('/evidence', { targetType: target.type, targetId: target.id });
  return (
    <section class="evidence-list" aria-label="証跡の一覧">
      <PagedList list={list} keyOf={(e) => e.evidenceId}>
        {(e) => (
          <>
            <a href={`/evidence/${e.evidenceId}`}>{e.fileName}</a> <StatusBadge status={e.status} label={evidenceStatusLabels[e.status]} />
            <span class="meta">
              {bytesText(e.size)}・{dateTimeText(e.createdAt)}
              {e.malwareScan && `・${malwareScanText(e.malwareScan)}`}
            </span>
          </>
        )}
      </PagedList>
    </section>
  );
}

/** Uploader and the list together; the list refreshes when an upload settles. */
export function EvidenceSection({
  target,
  canAttach,
  onCreated,
}: {
  target: { type: EvidenceTargetType; id: string };
  canAttach: boolean;
  onCreated?: (id: string) => void;
}) {
  const [refresh, setRefresh] = useState(0);
  return (
    <section class="panel">
      <h2>証跡</h2>
      {canAttach && <EvidenceUploader target={target} {...(onCreated ? { onCreated } : {})} onSettled={() => setRefresh((n) => n + 1)} />}
      <EvidenceList key={refresh} target={target} />
    </section>
  );
}
