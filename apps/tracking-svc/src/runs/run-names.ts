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

/** MLflow's random run name: `adjective-noun-NNN`. */
export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
