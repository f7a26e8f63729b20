/**
 * Common English given names and their usual short forms, the formal name first. A short form may
 * belong to several names ("al": Albert, Alan, Alexander); spelling variants of the formal name
 * ("steven", "katherine") sit in its group.
 */
const GROUPS: readonly (readonly string[])[] = [
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'robby', 'bert'],
  ['william', 'bill', 'billy', 'will', 'willy', 'willie', 'liam'],
  ['elizabeth', 'liz', 'lizzie', 'lizzy', 'beth', 'betty', 'betsy', 'eliza', 'libby', 'elisabeth'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge', 'margie', 'greta'],
  ['richard', 'rick', 'ricky', 'rich', 'richie', 'dick'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'jack', 'johnny', 'jon'],
  ['jonathan', 'jon', 'jonny', 'johnny'],
  ['michael', 'mike', 'mikey', 'mick', 'mickey'],
  ['thomas', 'tom', 'tommy'],
  ['joseph', 'joe', 'joey'],
  ['charles', 'charlie', 'chuck', 'chas'],
  ['christopher', 'chris', 'kit'],
  ['christine', 'christina', 'chris', 'chrissy', 'tina', 'kristina', 'kristine'],
  ['daniel', 'dan', 'danny'],
  ['david', 'dave', 'davy'],
  ['edward', 'ed', 'eddie', 'ned', 'ted', 'teddy'],
  ['anthony', 'tony', 'antony'],
  ['andrew', 'andy', 'drew'],
  ['alexander', 'alex', 'al', 'xander'],
  ['alexandra', 'alex', 'lexi', 'sandy'],
  ['albert', 'al', 'bert', 'bertie'],
  ['alan', 'al', 'allan', 'allen'],
  ['benjamin', 'ben', 'benny'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sam', 'sammy'],
  ['matthew', 'matt', 'matty'],
  ['nicholas', 'nick', 'nicky', 'nicolas'],
  ['patrick', 'pat', 'paddy'],
  ['patricia', 'pat', 'patty', 'trish', 'tricia'],
  ['peter', 'pete'],
  ['stephen', 'steven', 'steve', 'stevie'],
  ['timothy', 'tim', 'timmy'],
  ['kenneth', 'ken', 'kenny'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donny', 'donnie'],
  ['gerald', 'gerry', 'jerry'],
  ['lawrence', 'larry', 'laurence'],
  ['leonard', 'len', 'lenny', 'leo'],
  ['raymond', 'ray'],
  ['gregory', 'greg'],
  ['jeffrey', 'jeff', 'geoffrey', 'geoff'],
  ['joshua', 'josh'],
  ['zachary', 'zach', 'zack'],
  ['frederick', 'fred', 'freddie', 'freddy'],
  ['henry', 'harry', 'hank'],
  ['harold', 'harry', 'hal'],
  ['francis', 'frank', 'frankie', 'fran'],
  ['frances', 'fran', 'frannie', 'francie'],
  ['eugene', 'gene'],
  ['louis', 'lou'],
  ['louise', 'lou'],
  ['walter', 'walt', 'wally'],
  ['vincent', 'vince', 'vinny'],
  ['philip', 'phillip', 'phil'],
  ['douglas', 'doug'],
  ['gabriel', 'gabe'],
  ['nathaniel', 'nathan', 'nate', 'nat'],
  ['jacob', 'jake'],
  ['theodore', 'theo', 'ted', 'teddy'],
  ['terence', 'terrence', 'terry'],
  ['catherine', 'katherine', 'kathryn', 'cathy', 'kathy', 'kate', 'katie', 'kitty', 'cat', 'kat'],
  ['deborah', 'debra', 'deb', 'debbie'],
  ['jennifer', 'jen', 'jenn', 'jenny'],
  ['jessica', 'jess', 'jessie'],
  ['rebecca', 'becky', 'becca'],
  ['susan', 'sue', 'susie', 'suzy'],
  ['victoria', 'vicky', 'vicki', 'tori'],
  ['virginia', 'ginny'],
  ['barbara', 'barb', 'babs'],
  ['dorothy', 'dot', 'dottie', 'dolly'],
  ['abigail', 'abby', 'abbie', 'gail'],
  ['amanda', 'mandy'],
  ['cynthia', 'cindy'],
  ['pamela', 'pam'],
  ['kimberly', 'kim'],
  ['judith', 'judy'],
  ['teresa', 'theresa', 'terry', 'tess', 'tessa'],
  ['mary', 'molly', 'polly', 'mae'],
  ['sarah', 'sara', 'sally', 'sadie'],
  ['anne', 'ann', 'anna', 'annie', 'nan'],
  ['melissa', 'mel', 'missy'],
  ['melanie', 'mel'],
  ['valerie', 'val'],
  ['cassandra', 'cassie'],
  ['jacqueline', 'jackie', 'jacquie'],
  ['allison', 'alison', 'allie', 'ali'],
  ['caroline', 'carolyn', 'carol', 'carrie'],
  ['eleanor', 'ellie', 'nora', 'nell'],
  ['josephine', 'jo', 'josie'],
  ['joanne', 'joanna', 'jo'],
  ['angela', 'angie'],
  ['kristen', 'kirsten', 'kristin', 'kris'],
];

/** Each name → the formal names it may stand for, itself included ("bob" → bob, robert). */
const FORMAL = new Map<string, Set<string>>();
for (const group of GROUPS) {
  for (const name of group) {
    const formal = FORMAL.get(name) ?? new Set([name]);
    formal.add(group[0]!);
    FORMAL.set(name, formal);
  }
}

/**
 * The name and the formal names it may be short for, for a normalised given name. Formal names
 * only, not every sibling short form: "liz" and "beth" still meet at "elizabeth", and the list stays short.
 */
export function givenNameVariants(name: string): string[] {
  return [...(FORMAL.get(name) ?? [name])];
}

/** Whether two normalised given names may name the same person ("bob" and "robert", "liz" and "beth"). */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return true;
  const formalA = FORMAL.get(a);
  const formalB = FORMAL.get(b);
  if (formalA === undefined) return formalB !== undefined && formalB.has(a);
  if (formalB === undefined) return formalA.has(b);
  for (const name of formalA) if (formalB.has(name)) return true;
  return false;
}
