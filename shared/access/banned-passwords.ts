// Passwords and password stems seen again and again in breach corpora, written out for this project
// (AUTH-07). The policy folds a candidate (case, leetspeak, look-alikes) and strips leading and trailing
// digits and symbols before comparing, so "P@ssw0rd2024!" is caught by "password". Keep entries lower
// case, letters and digits only.

export const BANNED_PASSWORDS: readonly string[] = `
password passwort passw0rd pass pa55word passphrase secret secrets letmein letmeinnow welcome welcome1
changeme change default defaultpassword temp temporary tempPassword newpassword mypassword yourpassword
admin administrator root toor superuser sysadmin guest user username login logon master masterkey access
qwerty qwertz azerty qwertyuiop qwertyuiopasdfghjkl asdf asdfgh asdfghjkl zxcvbn zxcvbnm qazwsx qazwsxedc
qweasd qweasdzxc zaq12wsx 1qaz2wsx 1qaz2wsx3edc 1q2w3e 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4 q1w2e3r4t5
abc abc123 abcd1234 abcdef abcdefg abcdefgh abcdefghijkl 123abc 123qwe 123456 1234567 12345678 123456789
1234567890 12345678910 123456789012 0123456789 0987654321 987654321 111111 1111111111 000000 0000000000
121212 123123 123321 654321 666666 696969 112233 159753 147258369 11223344 13579 24680 55555 88888888
iloveyou iloveu loveyou lovely loveme love lover sweetheart honey baby babygirl babyboy angel angels princess
prince sunshine shine rainbow flower flowers butterfly kitty hellokitty cookie cookies chocolate cheese
pepper ginger summer winter spring autumn fall january february march april june july august september
october november december monday friday sunday weekend holiday christmas easter halloween
monkey dragon tiger lion eagle falcon shark dolphin horse pony puppy doggy kitten panther jaguar cobra
football soccer baseball basketball hockey golf tennis boxing running skater surfer snowboard
superman batman spiderman ironman wolverine hulk joker pokemon pikachu minecraft fortnite roblox zelda
mario starwars jedi yoda matrix trinity neo ninja samurai warrior legend hero champion winner killer
hunter ranger sniper soldier army marine navy airforce military captain major sergeant general
shadow thunder lightning storm blaze phoenix diamond silver golden gold platinum crystal
michael jennifer jessica ashley amanda daniel david robert thomas charlie jordan jasmine michelle
andrew joshua matthew nicole justin anthony william richard joseph christopher melissa elizabeth
maria carlos jose juan miguel luis antonio manuel francisco alejandro
jesus christ god godisgood blessed faith heaven angel1 trinity1
freedom liberty america usa patriot eagle1 texas california bayarea siliconvalley sanjose sanfrancisco
losangeles oakland sacramento sandiego norcal socal cali
yankees dodgers giants raiders niners 49ers warriors sharks earthquakes lakers clippers cowboys steelers
packers patriots eagles chiefs broncos seahawks liverpool chelsea arsenal manchester barcelona realmadrid
mustang corvette camaro ferrari porsche harley ducati yamaha honda toyota bmw mercedes tesla
computer internet google facebook instagram twitter youtube netflix amazon apple microsoft windows linux
iphone samsung android
police sheriff officer deputy detective trooper cop copper badge badge123 shield protect serve
protectandserve toserveandprotect lawenforcement lawandorder justice sjpd lapd sfpd chp
alpr plate plates license licenseplate camera cameras flock hub reader
whatever nothing something anything everything trustno1 trustnoone iamthebest letmein1 open opensesame
helloworld hello hi hey hithere goodbye welcome123 please thankyou sorry fuckyou fuckoff asshole
`
  .split(/\s+/)
  .filter(Boolean)
  .map((w) => w.toLowerCase());
