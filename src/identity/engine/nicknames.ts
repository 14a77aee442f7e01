/**
 * Common English given names and their nicknames, written for Throughline. Each group is one
 * name family; two names match as "nickname" when they share a group.
 */
const groups = [
  'robert rob bob bobby robbie bert',
  'william will bill billy willy liam',
  'richard rick dick richie ricky',
  'elizabeth liz lizzie beth betty eliza libby bess',
  'margaret maggie meg peggy marge madge greta',
  'katherine kate katie kathy cathy catherine kat kitty',
  'james jim jimmy jamie',
  'john jack johnny jon',
  'joseph joe joey jo',
  'michael mike mikey mick',
  'thomas tom tommy',
  'charles charlie chuck chas',
  'christopher chris kit topher',
  'daniel dan danny',
  'matthew matt matty',
  'anthony tony ant',
  'edward ed eddie ted teddy ned',
  'henry harry hank hal',
  'alexander alex al sandy xander',
  'alexandra alex sandra sandy lexi',
  'benjamin ben benny benji',
  'samuel sam sammy',
  'samantha sam sammy',
  'nicholas nick nicky',
  'jonathan jon jonny nathan',
  'stephen steve stevie',
  'steven steve stevie',
  'timothy tim timmy',
  'patrick pat paddy',
  'patricia pat patty trish tricia',
  'jennifer jen jenny jenna',
  'susan sue susie suzy',
  'deborah deb debbie debra',
  'rebecca becky becca',
  'victoria vicky tori',
  'jessica jess jessie',
  'abigail abby gail',
  'christine chris chrissy tina',
  'christina chris tina',
  'dorothy dot dotty dolly',
  'frances fran frankie fanny',
  'francis frank frankie',
  'gregory greg',
  'jacob jake',
  'joshua josh',
  'kenneth ken kenny',
  'lawrence larry laurie',
  'leonard leo len lenny',
  'margaret molly',
  'mary molly polly mae',
  'maya mae may',
  'nathaniel nate nat nathan',
  'peter pete',
  'raymond ray',
  'ronald ron ronnie',
  'donald don donnie',
  'douglas doug',
  'gerald gerry jerry',
  'andrew andy drew',
  'angela angie',
  'barbara barb barbie babs',
  'caroline carrie carol',
  'cynthia cindy',
  'eleanor ellie nora nell',
  'emily em emmy',
  'isabella bella izzy isabel',
  'jacqueline jackie',
  'judith judy',
  'kimberly kim',
  'olivia liv livvy',
  'pamela pam',
  'rosemary rose rosie',
  'sophia sophie',
  'theodore theo ted teddy',
  'valerie val',
  'zachary zach zack',
  'frederick fred freddie',
  'albert al bert bertie',
  'arthur art artie',
];

const byName = new Map<string, Set<number>>();
groups.forEach((group, index) => {
  for (const name of group.split(' ')) byName.set(name, (byName.get(name) ?? new Set()).add(index));
});

export function areNicknames(a: string, b: string): boolean {
  const ga = byName.get(a);
  const gb = byName.get(b);
  if (!ga || !gb) return false;
  for (const group of ga) if (gb.has(group)) return true;
  return false;
}

/** Adds name pairs from a CSV (name,nickname per line), e.g. a larger public list. */
export function extendNicknames(csv: string): number {
  let added = 0;
  for (const line of csv.split(/\r?\n/)) {
    const [name, nickname] = line.split(',').map((part) => part.trim().toLowerCase());
    if (!name || !nickname || name === 'name') continue;
    const index = groups.push(`${name} ${nickname}`) - 1;
    for (const entry of [name, nickname]) byName.set(entry, (byName.get(entry) ?? new Set()).add(index));
    added++;
  }
  return added;
}
