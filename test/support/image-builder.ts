/**
 * Builds the stages of a Dockerfile as its instructions say, without a Docker engine. Each stage's filesystem is a
 * directory of its own, into which the image's absolute paths map; it starts empty but for the stand-in for its
 * base image (base-image.ts). COPY brings files from the build context less what .dockerignore leaves out, or from
 * an earlier stage; RUN runs `sh -c` in the stage's WORKDIR with its ENV as its USER, with absolute paths and
 * chown's owners mapped; WORKDIR, ENV, USER and CMD are kept for running the image's programs afterwards.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { standInFor, type BaseImage } from './base-image';
import { parseDockerfile, type Instruction } from './dockerfile';
import { dockerignore } from './dockerignore';

export interface Image {
  name: string;
  /** This machine's directory that is the image's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string;
  cmd: string[];
  base: BaseImage;
}

interface BuildContext {
  dir: string;
  ignored(relativePath: string): boolean;
}

/** A path of the image, on this machine. */
export function inImage(image: Pick<Image, 'root'>, imagePath: string): string {
  return path.join(image.root, path.posix.resolve('/', imagePath));
}

const mapPaths = (image: Image, words: string[]) => words.map((w) => (w.startsWith('/') ? inImage(image, w) : w));

/** chown's owner (`user[:group]`, the image's names) as the ids the stand-in gives them. */
function mapChown(image: Image, words: string[]): string[] {
  const at = words.findIndex((word, i) => i > 0 && !word.startsWith('-'));
  const ids = words[at].split(':').map((name, i) => {
    const user = image.base.users[name];
    if (!user) throw new Error(`${image.name}: chown ${words[at]}: the base image has no user or group ${name}`);
    return i === 0 ? user.uid : user.gid;
  });
  return words.map((word, i) => (i === at ? ids.join(':') : word));
}

/** How to run a program of the image (its CMD, say) on this machine: in its WORKDIR, with its ENV, as its USER. */
export function imageCommand(image: Image, argv: string[]): { file: string; args: string[]; options: SpawnOptions } {
  const user = image.base.users[image.user];
  if (!user) throw new Error(`${image.name}: USER ${image.user}: the base image has no such user`);
  const [file, ...args] = mapPaths(image, argv);
  return {
    file,
    args,
    options: {
      cwd: inImage(image, image.workdir),
      env: { ...image.base.env, HOME: inImage(image, user.home), ...image.env },
      ...(process.getuid?.() === 0 ? { uid: user.uid, gid: user.gid } : {}),
    },
  };
}

async function run(image: Image, commands: string[][], logFile: string): Promise<void> {
  const line = commands
    .map((words) => mapPaths(image, words[0] === 'chown' ? mapChown(image, words) : words).join(' '))
    .join(' && ');
  const { options } = imageCommand(image, []);
  const log = fs.openSync(logFile, 'a');
  fs.writeSync(log, `\n# ${image.name}: RUN ${line}\n`);
  try {
    const child = spawn('sh', ['-c', line], { ...options, stdio: ['ignore', log, log] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`${image.name}: RUN ${commands.map((w) => w.join(' ')).join(' && ')} exited ${code}:\n${tail}`);
    }
  } finally {
    fs.closeSync(log);
  }
}

function copy(image: Image, step: Extract<Instruction, { op: 'COPY' }>, context: BuildContext, built: Image[]) {
  const from = step.from === undefined ? undefined : built.find((stage) => stage.name === step.from)!;
  const destination = path.posix.resolve(image.workdir, step.destination);
  for (const source of step.sources) {
    const relative = path.posix.normalize(source).replace(/^\/+|\/+$/g, '');
    const sourcePath = from ? inImage(from, source) : path.join(context.dir, relative);
    if (!fs.existsSync(sourcePath) || (!from && relative !== '.' && context.ignored(relative)))
      throw new Error(
        `${image.name}: COPY ${source}: not found in ${from ? `stage ${from.name}` : 'the build context'}`,
      );
    // A directory's contents go to the destination; a file goes into it when it names a directory.
    const file = !fs.statSync(sourcePath).isDirectory();
    const intoDirectory =
      step.destination.endsWith('/') ||
      fs.statSync(inImage(image, destination), { throwIfNoEntry: false })?.isDirectory() === true;
    const target = file && intoDirectory ? path.posix.join(destination, path.posix.basename(relative)) : destination;
    fs.mkdirSync(path.dirname(inImage(image, target)), { recursive: true });
    fs.cpSync(sourcePath, inImage(image, target), {
      recursive: true,
      filter: (file) => {
        const inContext = path.relative(context.dir, file).split(path.sep).join('/');
        return from !== undefined || inContext === '' || !context.ignored(inContext);
      },
    });
  }
}

async function build(image: Image, step: Instruction, context: BuildContext, built: Image[], logFile: string) {
  switch (step.op) {
    case 'WORKDIR':
      image.workdir = step.path;
      fs.mkdirSync(inImage(image, step.path), { recursive: true });
      return;
    case 'ENV':
      image.env = { ...image.env, ...step.variables };
      return;
    case 'COPY':
      return copy(image, step, context, built);
    case 'RUN':
      return run(image, step.commands, logFile);
    case 'USER':
      if (!image.base.users[step.user])
        throw new Error(`${image.name}: USER ${step.user}: the base image has no such user`);
      image.user = step.user;
      return;
    case 'CMD':
      image.cmd = step.argv;
      return;
  }
}

/**
 * Every stage of `<context>/Dockerfile`, in order, each under `<into>/<stage>`; RUN output goes to
 * `<into>/build.log`, and `log` hears of each instruction as it starts.
 */
export async function buildImages(options: {
  context: string;
  into: string;
  log?: (line: string) => void;
}): Promise<Map<string, Image>> {
  const read = (file: string) => fs.readFileSync(path.join(options.context, file), 'utf8');
  const ignoreFile = path.join(options.context, '.dockerignore');
  const context: BuildContext = {
    dir: options.context,
    ignored: dockerignore(fs.existsSync(ignoreFile) ? read('.dockerignore') : ''),
  };
  // The image's unprivileged user must reach its files.
  fs.chmodSync(options.into, 0o755);
  const logFile = path.join(options.into, 'build.log');
  const built: Image[] = [];
  for (const stage of parseDockerfile(read('Dockerfile'))) {
    const root = path.join(options.into, stage.name);
    fs.mkdirSync(root);
    const image: Image = {
      name: stage.name,
      root,
      workdir: '/',
      env: {},
      user: 'root',
      cmd: [],
      base: await standInFor(stage.base, root),
    };
    for (const step of stage.instructions) {
      options.log?.(`${stage.name}: ${step.op}`);
      await build(image, step, context, built, logFile);
    }
    built.push(image);
  }
  return new Map(built.map((image) => [image.name, image]));
}
