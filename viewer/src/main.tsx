import { render } from 'preact';
import { App } from './app.js';
import { detectSource } from './source.js';
import './styles.css';

render(<App source={detectSource()} />, document.getElementById('app') as HTMLElement);
