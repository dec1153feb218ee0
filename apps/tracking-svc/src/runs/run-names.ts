import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'able', 'agile', 'amazing', 'ambitious', 'bemused', 'big', 'bold', 'brave', 'bright', 'calm', 'capable', 'charming',
  'clean', 'clever', 'colorful', 'crawling', 'dapper', 'debonair', 'delicate', 'enchanting', 'fearless', 'gentle',
  'gifted', 'glamorous', 'grandiose', 'handsome', 'honorable', 'illustrious', 'intelligent', 'judicious', 'kindly',
  'learned', 'loud', 'luxuriant', 'masked', 'melodic', 'merciful', 'mercurial', 'nebulous', 'omniscient', 'orderly',
  'overjoyed', 'peaceful', 'polite', 'popular', 'powerful', 'puzzled', 'redolent', 'resilient', 'rogue', 'rumbling',
  'salty', 'sassy', 'secretive', 'selective', 'sedate', 'serious', 'shivering', 'skillful', 'sneaky', 'spiffy',
  'spirited', 'stately', 'suave', 'thoughtful', 'traveling', 'trusting', 'unequaled', 'upbeat', 'valuable', 'victorious',
  'welcoming', 'wise', 'worried', 'youthful', 'zealous',
];
const NOUNS = [
  'ant', 'ape', 'asp', 'auk', 'bass', 'bat', 'bear', 'bee', 'bird', 'boar', 'bug', 'calf', 'carp', 'cat', 'chimp',
  'cod', 'colt', 'conch', 'cow', 'crab', 'crane', 'croc', 'crow', 'cub', 'deer', 'doe', 'dog', 'dolphin', 'donkey',
  'dove', 'duck', 'eel', 'elk', 'fawn', 'finch', 'fish', 'flea', 'fly', 'foal', 'fowl', 'fox', 'frog', 'gnat', 'gnu',
  'goat', 'goose', 'grouse', 'grub', 'gull', 'hare', 'hawk', 'hen', 'hog', 'horse', 'hound', 'jay', 'kit', 'kite',
  'koi', 'lamb', 'lark', 'loon', 'lynx', 'mare', 'midge', 'mink', 'mole', 'moose', 'moth', 'mouse', 'mule', 'newt',
  'owl', 'ox', 'panda', 'penguin', 'perch', 'pig', 'pug', 'quail', 'ram', 'rat', 'ray', 'robin', 'roo', 'rook',
  'seal', 'shad', 'shark', 'sheep', 'shoat', 'shrew', 'shrike', 'shrimp', 'skink', 'skunk', 'sloth', 'slug', 'smelt',
  'snail', 'snake', 'snipe', 'sow', 'sponge', 'squid', 'squirrel', 'stag', 'steed', 'stoat', 'stork', 'swan', 'tern',
  'toad', 'trout', 'turtle', 'vole', 'wasp', 'whale', 'wolf', 'worm', 'wren', 'yak', 'zebra',
];

const MAX_LENGTH = 20;

/**
 * MLflow's `_generate_random_name`: `adjective-noun-NNN` of at most 20 characters — up to 10
 * draws for one that fits, then the last one cut to 20.
 */
export function randomRunName(pick: (n: number) => number = randomInt): string {
  let name = '';
  for (let i = 0; i < 10; i++) {
    name = `${ADJECTIVES[pick(ADJECTIVES.length)]}-${NOUNS[pick(NOUNS.length)]}-${pick(1000)}`;
    if (name.length <= MAX_LENGTH) return name;
  }
  return name.slice(0, MAX_LENGTH);
}
