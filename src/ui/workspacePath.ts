/**
 * The host side of `displayPath`: the open workspace folders and the home folder filled in. Every panel heading,
 * label and message that names a file goes through here (and puts `.title` in a tooltip where it can).
 */
import * as os from 'node:os';
import * as vscode from 'vscode';
import { displayPath, type DisplayPath } from '../common/displayPath';

export function workspacePath(file: string | vscode.Uri): DisplayPath {
  if (typeof file !== 'string' && file.scheme !== 'file') {
    // An untitled or virtual document: its own path is the only name it has.
    const text = file.scheme === 'untitled' ? file.path : file.path.split('/').pop() || file.toString();
    return { text, title: file.toString(true) };
  }
  const fsPath = typeof file === 'string' ? file : file.fsPath;
  const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, fsPath: f.uri.fsPath }));
  return displayPath(fsPath, { workspaceFolders, home: os.homedir() });
}
