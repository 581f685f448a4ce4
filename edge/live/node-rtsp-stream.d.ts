// Types for the parts of node-rtsp-stream (plain CommonJS, no typings) the live view uses.
declare module 'node-rtsp-stream' {
  import type { ChildProcess } from 'node:child_process';
  import type { EventEmitter } from 'node:events';

  interface VideoStreamOptions {
    name: string;
    streamUrl: string;
    wsPort: number;
    width?: number;
    height?: number;
    ffmpegPath?: string;
    /** Output flags appended after `-f mpegts -codec:v mpeg1video`; '' as a value means a bare flag. */
    ffmpegOptions?: Record<string, string | number>;
    [extra: string]: unknown;
  }

  interface Mpeg1Muxer extends EventEmitter {
    stream: ChildProcess;
  }

  class VideoStream extends EventEmitter {
    constructor(options: VideoStreamOptions);
    options: VideoStreamOptions;
    width: number | undefined;
    height: number | undefined;
    stream: ChildProcess;
    mpeg1Muxer: Mpeg1Muxer;
    wsServer: unknown;
    startMpeg1Stream(): this;
    pipeStreamToSocketServer(): this;
    onSocketConnect(socket: unknown, request: unknown): unknown;
    stop(): this;
  }
  export = VideoStream;
}
