/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** Set at build time by config/index.ts. */
declare const CLOUD_ENV: string;
declare const API_BASE: string;
/** The district's Ed25519 public key (base64url), or '' when the build was given none. */
declare const SIGNING_PUBLIC_KEY: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5';
  }
}
