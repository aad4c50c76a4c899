/**
 * Types for our native mini-program components (src/components/cert-qrcode), written by hand so
 * the app needs no miniprogram-api-typings. The runtime globals `wx` and `Component` are declared
 * in each component's module scope with these types, not globally here: miniprogram-simulate's
 * typings bring miniprogram-api-typings' global declarations into the test build.
 */

declare namespace WechatMiniprogramLite {
  /** The runtime constructor a property's `type` names, derived from its TS type. */
  type PropertyType<T> = T extends string
    ? StringConstructor
    : T extends number
      ? NumberConstructor
      : T extends boolean
        ? BooleanConstructor
        : ObjectConstructor;

  /** `properties` of Component(): one declaration per prop, checked against the props type. */
  type PropertyOptions<P> = { [K in keyof P]: { type: PropertyType<P[K]>; value: P[K] } };

  /** A node returned by SelectorQuery `fields({ node: true })` for `<canvas type="2d">`. */
  interface CanvasNode {
    width: number;
    height: number;
    getContext(type: '2d'): Canvas2DContext | null;
  }

  /** The slice of the 2D canvas context (an HTML-canvas-like API) that we draw with. */
  interface Canvas2DContext {
    fillStyle: unknown;
    fillRect(x: number, y: number, width: number, height: number): void;
  }

  interface NodeFields {
    node?: CanvasNode;
    width?: number;
    height?: number;
  }

  interface NodesRef {
    fields(fields: { node?: boolean; size?: boolean }): SelectorQuery;
  }

  interface SelectorQuery {
    select(selector: string): NodesRef;
    exec(callback: (results: Array<NodeFields | null>) => void): void;
  }

  interface Instance<P> {
    readonly properties: P;
    triggerEvent(name: string, detail?: object): void;
    createSelectorQuery(): SelectorQuery;
  }

  /** The part of `wx` we call. */
  interface Wx {
    getSystemInfoSync(): { pixelRatio: number };
    /** Base library 2.20.1+; getSystemInfoSync is deprecated where this exists. */
    getWindowInfo?: () => { pixelRatio: number };
  }

  interface ComponentOptions<P, M> {
    properties: PropertyOptions<P>;
    observers?: Record<string, (...values: never[]) => void>;
    lifetimes?: { attached?(): void; ready?(): void; detached?(): void };
    methods: M;
  }

  /** The `Component` constructor, typing `this` in observers, lifetimes and methods. */
  type ComponentConstructor = <P, M>(
    options: ComponentOptions<P, M> & ThisType<Instance<P> & M>,
  ) => void;
}

declare module 'weapp-qrcode' {
  /** The old (pre-2D) canvas context API weapp-qrcode draws through; drawImage is never used. */
  export interface LegacyCanvasContext {
    setFillStyle(color: string): void;
    fillRect(x: number, y: number, width: number, height: number): void;
    draw(reserve?: boolean, callback?: () => void): void;
  }

  export interface DrawQrcodeOptions {
    ctx: LegacyCanvasContext;
    text: string;
    width?: number;
    height?: number;
    x?: number;
    y?: number;
    /** -1 picks the smallest version that fits. */
    typeNumber?: number;
    /** The library's QRErrorCorrectLevel: L 1, M 0, Q 3, H 2 (its default). */
    correctLevel?: number;
    foreground?: string;
    background?: string;
    callback?: () => void;
  }

  export default function drawQrcode(options: DrawQrcodeOptions): void;
}
