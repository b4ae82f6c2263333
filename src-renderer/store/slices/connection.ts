// Connection slice: the transport's state (shown in the status bar) and the app's info.
// Written only by the bridge; no actions of its own.
import type { SliceCreator, ConnectionSlice } from '../types';

export const createConnectionSlice = (): SliceCreator<ConnectionSlice> => () => ({
  connection: { status: 'connecting', transport: 'websocket', detail: null, retryInMs: null },
  appInfo: null,
  loaded: false,
});
