import type { Rng } from "./prng.js";

/**
 * Russian personal names, company names and addresses of one (fictional) town for the demo data.
 * Pure: everything comes from the seeded {@link Rng}.
 */

export const DEMO_TOWN = "Сосновск";
export const DEMO_REGION = "Пензенская область";
/** Local time of the town (Europe/Moscow, UTC+3 all year): tariff zone hours are local hours. */
export const DEMO_TIME_ZONE = "Europe/Moscow";
export const DEMO_UTC_OFFSET_MINUTES = 180;

/** Surname stems with their male and female forms. */
const SURNAMES: readonly [string, string][] = [
  ["Иванов", "Иванова"],
  ["Смирнов", "Смирнова"],
  ["Кузнецов", "Кузнецова"],
  ["Попов", "Попова"],
  ["Васильев", "Васильева"],
  ["Петров", "Петрова"],
  ["Соколов", "Соколова"],
  ["Михайлов", "Михайлова"],
  ["Новиков", "Новикова"],
  ["Фёдоров", "Фёдорова"],
  ["Морозов", "Морозова"],
  ["Волков", "Волкова"],
  ["Алексеев", "Алексеева"],
  ["Лебедев", "Лебедева"],
  ["Семёнов", "Семёнова"],
  ["Егоров", "Егорова"],
  ["Павлов", "Павлова"],
  ["Козлов", "Козлова"],
  ["Степанов", "Степанова"],
  ["Николаев", "Николаева"],
  ["Орлов", "Орлова"],
  ["Андреев", "Андреева"],
  ["Макаров", "Макарова"],
  ["Никитин", "Никитина"],
  ["Захаров", "Захарова"],
  ["Зайцев", "Зайцева"],
  ["Соловьёв", "Соловьёва"],
  ["Борисов", "Борисова"],
  ["Яковлев", "Яковлева"],
  ["Григорьев", "Григорьева"],
  ["Романов", "Романова"],
  ["Воробьёв", "Воробьёва"],
  ["Сергеев", "Сергеева"],
  ["Кириллов", "Кириллова"],
  ["Белов", "Белова"],
  ["Тарасов", "Тарасова"],
  ["Комаров", "Комарова"],
  ["Ильин", "Ильина"],
  ["Гусев", "Гусева"],
  ["Титов", "Титова"],
  ["Кудрявцев", "Кудрявцева"],
  ["Баранов", "Баранова"],
  ["Куликов", "Куликова"],
  ["Алексин", "Алексина"],
  ["Жуков", "Жукова"],
  ["Ковалёв", "Ковалёва"],
  ["Белоусов", "Белоусова"],
  ["Медведев", "Медведева"],
  ["Ершов", "Ершова"],
  ["Крылов", "Крылова"],
  ["Жданов", "Жданова"],
  ["Островский", "Островская"],
  ["Ковальчук", "Ковальчук"],
  ["Бондаренко", "Бондаренко"],
];

const MALE_NAMES = [
  "Александр",
  "Сергей",
  "Дмитрий",
  "Андрей",
  "Алексей",
  "Максим",
  "Евгений",
  "Иван",
  "Михаил",
  "Артём",
  "Николай",
  "Владимир",
  "Павел",
  "Роман",
  "Олег",
  "Виктор",
  "Юрий",
  "Игорь",
  "Кирилл",
  "Григорий",
] as const;

const FEMALE_NAMES = [
  "Елена",
  "Ольга",
  "Наталья",
  "Татьяна",
  "Ирина",
  "Светлана",
  "Анна",
  "Мария",
  "Екатерина",
  "Юлия",
  "Людмила",
  "Галина",
  "Марина",
  "Надежда",
  "Валентина",
  "Анастасия",
  "Дарья",
  "Ксения",
  "Вера",
  "Любовь",
] as const;

/** Father's names with the male and female patronymics. */
const PATRONYMICS: readonly [string, string][] = [
  ["Александрович", "Александровна"],
  ["Сергеевич", "Сергеевна"],
  ["Дмитриевич", "Дмитриевна"],
  ["Андреевич", "Андреевна"],
  ["Алексеевич", "Алексеевна"],
  ["Викторович", "Викторовна"],
  ["Иванович", "Ивановна"],
  ["Михайлович", "Михайловна"],
  ["Николаевич", "Николаевна"],
  ["Владимирович", "Владимировна"],
  ["Петрович", "Петровна"],
  ["Юрьевич", "Юрьевна"],
  ["Анатольевич", "Анатольевна"],
  ["Васильевич", "Васильевна"],
  ["Геннадьевич", "Геннадьевна"],
  ["Олегович", "Олеговна"],
];

export type PersonName = {
  surname: string;
  givenName: string;
  patronymic: string;
  female: boolean;
  /** "Иванова Елена Сергеевна". */
  fullName: string;
  /** "Иванова Е. С.". */
  shortName: string;
};

export function personName(rng: Rng): PersonName {
  const female = rng.chance(0.52);
  const [male, femaleSurname] = rng.pick(SURNAMES);
  const surname = female ? femaleSurname : male;
  const givenName = female ? rng.pick(FEMALE_NAMES) : rng.pick(MALE_NAMES);
  const [malePatronymic, femalePatronymic] = rng.pick(PATRONYMICS);
  const patronymic = female ? femalePatronymic : malePatronymic;
  return {
    surname,
    givenName,
    patronymic,
    female,
    fullName: `${surname} ${givenName} ${patronymic}`,
    shortName: `${surname} ${givenName[0]}. ${patronymic[0]}.`,
  };
}

/** A site (участок) of the grid company in the town and its streets. */
export type DemoSite = {
  /** Short code used in the on-chain `siteId`. */
  code: string;
  name: string;
  /** Apartment blocks, private houses or both. */
  housing: "blocks" | "houses" | "mixed";
  streets: readonly string[];
};

export const DEMO_SITES: readonly DemoSite[] = [
  {
    code: "U1",
    name: "Центральный",
    housing: "blocks",
    streets: ["ул. Ленина", "ул. Мира", "пр. Победы", "ул. Советская"],
  },
  {
    code: "U2",
    name: "Северный",
    housing: "blocks",
    streets: ["ул. Строителей", "ул. Гагарина", "ул. Северная"],
  },
  {
    code: "U3",
    name: "Речной",
    housing: "mixed",
    streets: ["ул. Набережная", "ул. Речная", "ул. Заводская"],
  },
  {
    code: "U4",
    name: "Сосновый Бор",
    housing: "houses",
    streets: ["ул. Сосновая", "ул. Лесная", "пер. Кедровый", "ул. Солнечная"],
  },
];

export type DemoAddress = {
  site: DemoSite;
  street: string;
  house: string;
  flat: number | undefined;
  /** "Пензенская область, г. Сосновск, ул. Ленина, д. 12, кв. 45". */
  full: string;
  /** "Ленина 12-45": short enough (≤ 32 UTF-8 bytes) for the on-chain `addressRef`. */
  short: string;
};

/** The street name without its kind ("ул. Ленина" → "Ленина"). */
function streetName(street: string): string {
  return street.replace(/^(ул\.|пр\.|пер\.)\s*/, "");
}

export function formatAddress(site: DemoSite, street: string, house: string, flat?: number): DemoAddress {
  const full = `${DEMO_REGION}, г. ${DEMO_TOWN}, ${street}, д. ${house}${flat === undefined ? "" : `, кв. ${flat}`}`;
  const short = `${streetName(street)} ${house}${flat === undefined ? "" : `-${flat}`}`;
  return { site, street, house, flat, full, short };
}

/** Legal-entity consumers by kind of business. */
export const LEGAL_ENTITY_NAMES = {
  shop: [
    "ООО «Продукты у дома»",
    "ИП Захарова Н. В. (магазин «Берёзка»)",
    "ООО «Хозтовары Сосновск»",
    "ООО «Аптека Здоровье»",
    "ИП Белов С. А. (цветы)",
    "ООО «Универсам Северный»",
    "ООО «Оптика Взгляд»",
    "ИП Тарасов М. Ю. (автозапчасти)",
    "ООО «Книжный мир»",
  ],
  office: [
    "ООО «Бухгалтерский центр»",
    "АО «Почта России» (ОПС Сосновск-2)",
    "ООО «Нотариальная контора»",
    "ООО «ИТ-Решения»",
    "ООО «Стоматология Улыбка»",
    "ООО «Страховой дом»",
    "ООО «Агентство недвижимости Дом»",
  ],
  cafe: [
    "ООО «Кафе Уют»",
    "ИП Ковальчук А. И. (пекарня-кафе)",
    "ООО «Столовая Заводская»",
    "ООО «Пиццерия Марио»",
    "ИП Орлова Е. В. (кофейня)",
  ],
  school: [
    "МБОУ СОШ № 3 г. Сосновска",
    "МБДОУ детский сад № 7 «Солнышко»",
    "ГБУЗ «Сосновская ЦРБ»",
    "МБУ ДО «Детская школа искусств»",
  ],
  workshop: [
    "ООО «Автосервис Мотор»",
    "ООО «Столярная мастерская»",
    "ИП Гусев П. Н. (шиномонтаж)",
    "ООО «Швейный цех Ника»",
    "ООО «Типография Речная»",
  ],
  bakery: ["АО «Сосновский хлебозавод»", "ООО «Молочная ферма Речная»"],
  factory: ["АО «Сосновский механический завод»", "ООО «Деревообработка»"],
} as const;

export type LegalKind = keyof typeof LEGAL_ENTITY_NAMES;

/** Encodes `text` as a right-padded UTF-8 bytes32 value; refuses text longer than 32 bytes. */
export function utf8Bytes32(text: string): `0x${string}` {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length === 0 || bytes.length > 32) {
    throw new RangeError(`"${text}" is ${bytes.length} UTF-8 bytes; a bytes32 text holds 1-32`);
  }
  const padded = new Uint8Array(32);
  padded.set(bytes);
  return `0x${Buffer.from(padded).toString("hex")}`;
}

/** Decodes a right-padded UTF-8 bytes32 value. */
export function bytes32ToUtf8(value: `0x${string}`): string {
  const bytes = Buffer.from(value.slice(2), "hex");
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
