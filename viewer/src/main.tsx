import { render } from 'preact';
import { App } from './app.js';
import { detectAudit } from './audit-client.js';
import { detectSource } from './source.js';
import './styles.css';

render(<App source={detectSource()} audit={detectAudit()} />, document.getElementById('app') as HTMLElement);
